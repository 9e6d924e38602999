/* socket(2): a unix stream socket and the two common inet sockets, TCP and UDP. */
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness/harness.h"

static long call_unix_stream(struct fs_ctx *c)
{
	c->fd[0] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	return c->fd[0];
}

static long call_inet_tcp(struct fs_ctx *c)
{
	c->fd[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	return c->fd[0];
}

static long call_inet_udp(struct fs_ctx *c)
{
	c->fd[0] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	return c->fd[0];
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

/* socket(2) documents ENOBUFS beside ENOMEM for a shortage of memory. */
FS_HARNESS(socket_unix_stream) = {
	.area     = "net",
	.call     = call_unix_stream,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

FS_HARNESS(socket_inet_tcp) = {
	.area     = "net",
	.call     = call_inet_tcp,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};

FS_HARNESS(socket_inet_udp) = {
	.area     = "net",
	.call     = call_inet_udp,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
