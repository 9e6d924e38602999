/* connect(2): a unix stream socket to a listener on a path, a TCP socket to a loopback listener. */
#include <sys/socket.h>

#include "harness/harness.h"
#include "harness/net.h"

/*
 * fd[0] listens on @a, fd[1] is the client; the listener's address is kept
 * in c->buf and its length in c->val[0].
 */
static int listen_and_client(struct fs_ctx *c, struct fs_sockaddr *a)
{
	c->fd[0] = SAFE_LISTENER(SOCK_STREAM, a);
	fs_keep_addr(c, a);
	c->fd[1] = SAFE_SOCKET(a->sa.sa_family, SOCK_STREAM);
	return 0;
}

static int setup_unix(struct fs_ctx *c)
{
	struct fs_sockaddr a;

	return listen_and_client(c, fs_unix_addr(c, 0, "listener", &a));
}

static int setup_inet(struct fs_ctx *c)
{
	struct fs_sockaddr a;

	return listen_and_client(c, fs_loopback_addr(&a));
}

static long call(struct fs_ctx *c)
{
	return connect(c->fd[1], (struct sockaddr *)c->buf, c->val[0]);
}

FS_HARNESS(connect_unix) = {
	.area     = "net",
	.setup    = setup_unix,
	.call     = call,
	.teardown = fs_close_fds,
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
	.teardown = fs_close_fds,
	.errnos   = FS_ERRNOS(ENOBUFS, EAGAIN, EADDRNOTAVAIL),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
