/* truncate(2) growing an empty tmpfs file, ftruncate(2) shrinking one with data to mid-page. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

static int setup_empty(struct fs_ctx *c)
{
	fs_write_file(fs_path(c, 0, "file"), "");
	return 0;
}

/* Four pages of data, so the shrink frees whole pages and zeroes the tail of one. */
static int setup_data(struct fs_ctx *c)
{
	c->fd[0] = SAFE(open(fs_path(c, 0, "file"), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
	memset(c->buf, 'x', sizeof(c->buf));
	for (int i = 0; i < 4; i++)
		if (write(c->fd[0], c->buf, sizeof(c->buf)) != (ssize_t)sizeof(c->buf))
			fs_broken(__FILE__, __LINE__, errno, "write %s", c->path[0]);
	return 0;
}

static long call_truncate(struct fs_ctx *c)
{
	return truncate(c->path[0], 1 << 20);
}

static long call_ftruncate(struct fs_ctx *c)
{
	return ftruncate(c->fd[0], 5000);
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(truncate_grow) = {
	.area     = "fs",
	.setup    = setup_empty,
	.call     = call_truncate,
};

FS_HARNESS(ftruncate_shrink) = {
	.area     = "fs",
	.setup    = setup_data,
	.call     = call_ftruncate,
	.teardown = teardown,
};
