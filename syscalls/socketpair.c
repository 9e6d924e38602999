/* socketpair(2) on AF_UNIX: the Documentation/fault-injection example, three socket types. */
#include <sys/socket.h>
#include <unistd.h>

#include "harness/harness.h"

static long call_stream(struct fs_ctx *c)
{
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->fd);
}

static long call_dgram(struct fs_ctx *c)
{
	return socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, c->fd);
}

static long call_seqpacket(struct fs_ctx *c)
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->fd);
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

FS_HARNESS(socketpair_unix_stream) = {
	.area     = "net",
	.call     = call_stream,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

FS_HARNESS(socketpair_unix_dgram) = {
	.area     = "net",
	.call     = call_dgram,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

FS_HARNESS(socketpair_unix_seqpacket) = {
	.area     = "net",
	.call     = call_seqpacket,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};
