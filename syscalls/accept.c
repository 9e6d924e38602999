/* accept(2) and accept4(2) on unix and TCP listeners with connections already queued. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness/harness.h"

/*
 * fd[0] listens and fd[1], fd[2] are connected clients: two are queued so the
 * retry still finds one if a failed accept consumed the first. The listener
 * blocks, so an accept never races a handshake still in flight on loopback.
 * The accepted socket goes into fd[3].
 */
static void connect_two(struct fs_ctx *c, int domain, const struct sockaddr *sa,
			socklen_t len)
{
	for (int i = 1; i <= 2; i++) {
		c->fd[i] = SAFE(socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0));
		SAFE(connect(c->fd[i], sa, len));
	}
}

static int setup_unix(struct fs_ctx *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	strcpy(sun.sun_path, fs_path(c, 0, "listener"));
	c->fd[0] = SAFE(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	SAFE(bind(c->fd[0], (struct sockaddr *)&sun, sizeof(sun)));
	SAFE(listen(c->fd[0], 8));
	connect_two(c, AF_UNIX, (struct sockaddr *)&sun, sizeof(sun));
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
	connect_two(c, AF_INET, (struct sockaddr *)&sin, len);
	return 0;
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

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 4; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

/* accept(2) documents ENOBUFS beside ENOMEM for a shortage of memory. */
FS_HARNESS(accept_unix) = {
	.area     = "net",
	.setup    = setup_unix,
	.call     = call_accept,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

FS_HARNESS(accept4_unix) = {
	.area     = "net",
	.setup    = setup_unix,
	.call     = call_accept4,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

FS_HARNESS(accept_inet) = {
	.area     = "net",
	.setup    = setup_inet,
	.call     = call_accept,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};

FS_HARNESS(accept4_inet) = {
	.area     = "net",
	.setup    = setup_inet,
	.call     = call_accept4,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
