/* connect(2): a unix stream socket to a listener on a path, a TCP socket to a loopback listener. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness/harness.h"

/*
 * fd[0] listens, fd[1] is the client; the listener's address is kept in
 * c->buf and its length in c->val[0].
 */
static int setup_unix(struct fs_ctx *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	strcpy(sun.sun_path, fs_path(c, 0, "listener"));
	c->fd[0] = SAFE(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	SAFE(bind(c->fd[0], (struct sockaddr *)&sun, sizeof(sun)));
	SAFE(listen(c->fd[0], 8));
	memcpy(c->buf, &sun, sizeof(sun));
	c->val[0] = sizeof(sun);
	c->fd[1] = SAFE(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	return 0;
}

static int setup_inet(struct fs_ctx *c)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sin);

	c->fd[0] = SAFE(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	SAFE(bind(c->fd[0], (struct sockaddr *)&sin, sizeof(sin)));
	SAFE(listen(c->fd[0], 8));
	SAFE(getsockname(c->fd[0], (struct sockaddr *)&sin, &len));
	memcpy(c->buf, &sin, len);
	c->val[0] = len;
	c->fd[1] = SAFE(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	return 0;
}

static long call(struct fs_ctx *c)
{
	return connect(c->fd[1], (struct sockaddr *)c->buf, c->val[0]);
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

FS_HARNESS(connect_unix) = {
	.area     = "net",
	.setup    = setup_unix,
	.call     = call,
	.teardown = teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

/*
 * ENOBUFS: no skb for the SYN or no route entry; connect(2) also documents
 * EAGAIN for a routing-cache shortage and EADDRNOTAVAIL for an ephemeral
 * port that cannot be had.
 */
FS_HARNESS(connect_inet) = {
	.area     = "net",
	.setup    = setup_inet,
	.call     = call,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS, EAGAIN, EADDRNOTAVAIL),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
