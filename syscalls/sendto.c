/* sendto(2): one UDP datagram to a socket bound on loopback. */
#include <sys/socket.h>

#include "harness/harness.h"
#include "harness/net.h"

/*
 * fd[0] receives on an ephemeral loopback port, fd[1] sends unbound; the
 * receiver's address is kept in c->buf and its length in c->val[0].
 */
static int setup(struct fs_ctx *c)
{
	struct fs_sockaddr a;

	c->fd[0] = SAFE_BOUND(SOCK_DGRAM, fs_loopback_addr(&a));
	fs_keep_addr(c, &a);
	c->fd[1] = SAFE_SOCKET(AF_INET, SOCK_DGRAM);
	return 0;
}

static long call(struct fs_ctx *c)
{
	return sendto(c->fd[1], "faultsweep", 10, 0, (struct sockaddr *)c->buf, c->val[0]);
}

/* sendto(2) documents ENOBUFS beside ENOMEM: no skb or no route entry. */
FS_HARNESS(sendto_udp) = {
	.area     = "net",
	.setup    = setup,
	.call     = call,
	.teardown = fs_close_fds,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
