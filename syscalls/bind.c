/* bind(2): a unix socket to a path in the private directory, a TCP socket to an ephemeral loopback port. */
#include <sys/socket.h>

#include "harness/harness.h"
#include "harness/net.h"

/* The address to bind is kept in c->buf, its length in c->val[0]. */
static int setup_unix(struct fs_ctx *c)
{
	struct fs_sockaddr a;

	fs_keep_addr(c, fs_unix_addr(c, 0, "sock", &a));
	c->fd[0] = SAFE_SOCKET(AF_UNIX, SOCK_STREAM);
	return 0;
}

static int setup_inet(struct fs_ctx *c)
{
	struct fs_sockaddr a;

	fs_keep_addr(c, fs_loopback_addr(&a));
	c->fd[0] = SAFE_SOCKET(AF_INET, SOCK_STREAM);
	return 0;
}

static long call(struct fs_ctx *c)
{
	return bind(c->fd[0], (struct sockaddr *)c->buf, c->val[0]);
}

/*
 * The socket inode is made by the filesystem's mknod, and tmpfs reports a
 * failed inode allocation as ENOSPC, which mknod(2) documents.
 */
FS_HARNESS(bind_unix) = {
	.area     = "net",
	.setup    = setup_unix,
	.call     = call,
	.teardown = fs_close_fds,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

/*
 * Port 0: a failed bind-bucket allocation is reported as EADDRINUSE, which
 * bind(2) documents for an ephemeral port that cannot be had.
 */
FS_HARNESS(bind_inet) = {
	.area     = "net",
	.setup    = setup_inet,
	.call     = call,
	.teardown = fs_close_fds,
	.errnos   = FS_ERRNOS(EADDRINUSE),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
