/* bind(2): a unix socket to a path in the private directory, a TCP socket to an ephemeral loopback port. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness/harness.h"

/* The address to bind is kept in c->buf, its length in c->val[0]. */
static int setup_unix(struct fs_ctx *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	strcpy(sun.sun_path, fs_path(c, 0, "sock"));
	memcpy(c->buf, &sun, sizeof(sun));
	c->val[0] = sizeof(sun);
	c->fd[0] = SAFE(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	return 0;
}

static int setup_inet(struct fs_ctx *c)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	memcpy(c->buf, &sin, sizeof(sin));
	c->val[0] = sizeof(sin);
	c->fd[0] = SAFE(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	return 0;
}

static long call(struct fs_ctx *c)
{
	return bind(c->fd[0], (struct sockaddr *)c->buf, c->val[0]);
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

/*
 * The socket inode is made by the filesystem's mknod, and tmpfs reports a
 * failed inode allocation as ENOSPC, which mknod(2) documents.
 */
FS_HARNESS(bind_unix) = {
	.area     = "net",
	.setup    = setup_unix,
	.call     = call,
	.teardown = teardown,
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
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EADDRINUSE),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
