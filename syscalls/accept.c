/* accept(2) and accept4(2) on unix and TCP listeners with connections already queued. */
#include <sys/socket.h>

#include "harness/harness.h"
#include "harness/net.h"

/*
 * fd[0] listens on @a and fd[1], fd[2] are connected clients: two are queued
 * so the retry still finds one if a failed accept consumed the first. The
 * listener blocks, so an accept never races a handshake still in flight on
 * loopback. The accepted socket goes into fd[3].
 */
static int listen_and_connect_two(struct fs_ctx *c, struct fs_sockaddr *a)
{
	c->fd[0] = SAFE_LISTENER(SOCK_STREAM, a);
	for (int i = 1; i <= 2; i++)
		c->fd[i] = SAFE_CONNECTED(SOCK_STREAM, a);
	return 0;
}

static int setup_unix(struct fs_ctx *c)
{
	struct fs_sockaddr a;

	return listen_and_connect_two(c, fs_unix_addr(c, 0, "listener", &a));
}

static int setup_inet(struct fs_ctx *c)
{
	struct fs_sockaddr a;

	return listen_and_connect_two(c, fs_loopback_addr(&a));
}

static long call_accept(struct fs_ctx *c)
{
	c->fd[3] = accept(c->fd[0], NULL, NULL);
	return c->fd[3];
}

static long call_accept4(struct fs_ctx *c)
{
	c->fd[3] = accept4(c->fd[0], NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	return c->fd[3];
}

/* accept(2) documents ENOBUFS beside ENOMEM for a shortage of memory. */
FS_HARNESS(accept_unix) = {
	.area     = "net",
	.setup    = setup_unix,
	.call     = call_accept,
	.teardown = fs_close_fds,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

FS_HARNESS(accept4_unix) = {
	.area     = "net",
	.setup    = setup_unix,
	.call     = call_accept4,
	.teardown = fs_close_fds,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

FS_HARNESS(accept_inet) = {
	.area     = "net",
	.setup    = setup_inet,
	.call     = call_accept,
	.teardown = fs_close_fds,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};

FS_HARNESS(accept4_inet) = {
	.area     = "net",
	.setup    = setup_inet,
	.call     = call_accept4,
	.teardown = fs_close_fds,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
