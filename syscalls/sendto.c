/* sendto(2): one UDP datagram to a socket bound on loopback. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness/harness.h"

/*
 * fd[0] receives on an ephemeral loopback port, fd[1] sends unbound; the
 * receiver's address is kept in c->buf and its length in c->val[0].
 */
static int setup(struct fs_ctx *c)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sin);

	c->fd[0] = SAFE(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	SAFE(bind(c->fd[0], (struct sockaddr *)&sin, sizeof(sin)));
	SAFE(getsockname(c->fd[0], (struct sockaddr *)&sin, &len));
	memcpy(c->buf, &sin, len);
	c->val[0] = len;
	c->fd[1] = SAFE(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	return 0;
}

static long call(struct fs_ctx *c)
{
	return sendto(c->fd[1], "faultsweep", 10, 0, (struct sockaddr *)c->buf, c->val[0]);
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

/* sendto(2) documents ENOBUFS beside ENOMEM: no skb or no route entry. */
FS_HARNESS(sendto_udp) = {
	.area     = "net",
	.setup    = setup,
	.call     = call,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
