/* splice(2) between a pipe and a tmpfs file, in both directions. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

#define LEN 8192

/*
 * fd[0], fd[1]: the pipe; fd[2]: the file. SPLICE_F_NONBLOCK in both calls:
 * should a failed attempt lose the data, the retry reports EAGAIN instead
 * of sleeping forever on an empty (or full) pipe.
 */
static void fill(struct fs_ctx *c, int fd)
{
	memset(c->buf, 'x', sizeof(c->buf));
	for (int i = 0; i < LEN / (int)sizeof(c->buf); i++)
		if (write(fd, c->buf, sizeof(c->buf)) != (ssize_t)sizeof(c->buf))
			fs_broken(__FILE__, __LINE__, errno, "write %d", fd);
}

static int setup_pipe_to_file(struct fs_ctx *c)
{
	SAFE(pipe2(c->fd, O_CLOEXEC));
	fill(c, c->fd[1]);
	c->fd[2] = SAFE(open(fs_path(c, 0, "out"), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	return 0;
}

static long call_pipe_to_file(struct fs_ctx *c)
{
	return splice(c->fd[0], NULL, c->fd[2], NULL, LEN, SPLICE_F_NONBLOCK);
}

static int setup_file_to_pipe(struct fs_ctx *c)
{
	SAFE(pipe2(c->fd, O_CLOEXEC));
	c->fd[2] = SAFE(open(fs_path(c, 0, "in"), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
	fill(c, c->fd[2]);
	return 0;
}

static long call_file_to_pipe(struct fs_ctx *c)
{
	loff_t off = 0;

	return splice(c->fd[2], &off, c->fd[1], NULL, LEN, SPLICE_F_NONBLOCK);
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 3; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

FS_HARNESS(splice_pipe_to_file) = {
	.area     = "fs",
	.setup    = setup_pipe_to_file,
	.call     = call_pipe_to_file,
	.teardown = teardown,
};

FS_HARNESS(splice_file_to_pipe) = {
	.area     = "fs",
	.setup    = setup_file_to_pipe,
	.call     = call_file_to_pipe,
	.teardown = teardown,
};
