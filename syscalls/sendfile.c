/* sendfile(2) from a tmpfs file to another tmpfs file and to an AF_UNIX stream socket. */
#include <fcntl.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness/harness.h"
#include "harness/net.h"

#define LEN 16384

/* fd[0]: the source file, LEN bytes; fd[1]: the destination. */
static void setup_source(struct fs_ctx *c)
{
	c->fd[0] = SAFE(open(fs_path(c, 0, "in"), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
	memset(c->buf, 'x', sizeof(c->buf));
	for (int i = 0; i < LEN / (int)sizeof(c->buf); i++)
		if (write(c->fd[0], c->buf, sizeof(c->buf)) != (ssize_t)sizeof(c->buf))
			fs_broken(__FILE__, __LINE__, errno, "write %s", c->path[0]);
}

static int setup_file(struct fs_ctx *c)
{
	setup_source(c);
	c->fd[1] = SAFE(open(fs_path(c, 1, "out"), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	return 0;
}

/* fd[1] sends, fd[2] holds the peer; LEN is far below the default socket buffer. */
static int setup_socket(struct fs_ctx *c)
{
	setup_source(c);
	SAFE_SOCKETPAIR(SOCK_STREAM, &c->fd[1]);
	return 0;
}

static long call(struct fs_ctx *c)
{
	off_t off = 0;

	return sendfile(c->fd[1], c->fd[0], &off, LEN);
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 3; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

FS_HARNESS(sendfile_file_to_file) = {
	.area     = "fs",
	.setup    = setup_file,
	.call     = call,
	.teardown = teardown,
};

/*
 * ENOBUFS: sendfile(2) does not list it, but onto a socket the data goes
 * through sendmsg, and a failed skb allocation is ENOBUFS as send(2) says.
 */
FS_HARNESS(sendfile_file_to_socket) = {
	.area     = "fs",
	.setup    = setup_socket,
	.call     = call,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};
