/* listen(2): a unix socket bound to a path, and an unbound TCP socket that listen() binds to an ephemeral port. */
#include <sys/socket.h>

#include "harness/harness.h"
#include "harness/net.h"

static int setup_unix(struct fs_ctx *c)
{
	struct fs_sockaddr a;

	c->fd[0] = SAFE_BOUND(SOCK_STREAM, fs_unix_addr(c, 0, "sock", &a));
	return 0;
}

/* Left unbound on purpose: listen() then allocates the ephemeral port's buckets. */
static int setup_inet(struct fs_ctx *c)
{
	c->fd[0] = SAFE_SOCKET(AF_INET, SOCK_STREAM);
	return 0;
}

static long call(struct fs_ctx *c)
{
	return listen(c->fd[0], 8);
}

FS_HARNESS(listen_unix) = {
	.area     = "net",
	.setup    = setup_unix,
	.call     = call,
	.teardown = fs_close_fds,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

/* listen(2) documents EADDRINUSE when no ephemeral port can be had. */
FS_HARNESS(listen_inet) = {
	.area     = "net",
	.setup    = setup_inet,
	.call     = call,
	.teardown = fs_close_fds,
	.errnos   = FS_ERRNOS(EADDRINUSE),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
