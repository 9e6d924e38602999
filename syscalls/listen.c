/* listen(2): a unix socket bound to a path, and an unbound TCP socket that listen() binds to an ephemeral port. */
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness/harness.h"

static int setup_unix(struct fs_ctx *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	strcpy(sun.sun_path, fs_path(c, 0, "sock"));
	c->fd[0] = SAFE(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	SAFE(bind(c->fd[0], (struct sockaddr *)&sun, sizeof(sun)));
	return 0;
}

/* Left unbound on purpose: listen() then allocates the ephemeral port's buckets. */
static int setup_inet(struct fs_ctx *c)
{
	c->fd[0] = SAFE(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	return 0;
}

static long call(struct fs_ctx *c)
{
	return listen(c->fd[0], 8);
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(listen_unix) = {
	.area     = "net",
	.setup    = setup_unix,
	.call     = call,
	.teardown = teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

/* listen(2) documents EADDRINUSE when no ephemeral port can be had. */
FS_HARNESS(listen_inet) = {
	.area     = "net",
	.setup    = setup_inet,
	.call     = call,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EADDRINUSE),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
