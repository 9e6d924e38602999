/* unlink(2) and unlinkat(2) of a regular file in the worker's tmpfs directory. */
#include <fcntl.h>
#include <unistd.h>

#include "harness/harness.h"

static int setup(struct fs_ctx *c)
{
	fs_write_file(fs_path(c, 0, "victim"), "data\n");
	c->fd[0] = SAFE(open(c->dir, O_PATH | O_DIRECTORY | O_CLOEXEC));
	return 0;
}

static long call_unlink(struct fs_ctx *c)
{
	return unlink(c->path[0]);
}

static long call_unlinkat(struct fs_ctx *c)
{
	return unlinkat(c->fd[0], "victim", 0);
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(unlink) = {
	.area     = "fs",
	.setup    = setup,
	.call     = call_unlink,
	.teardown = teardown,
};

FS_HARNESS(unlinkat) = {
	.area     = "fs",
	.setup    = setup,
	.call     = call_unlinkat,
	.teardown = teardown,
};
