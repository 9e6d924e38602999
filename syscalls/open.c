/* open(2), openat(2), creat(2) and O_TMPFILE creating files in the worker's tmpfs directory. */
#include <fcntl.h>
#include <unistd.h>

#include "harness/harness.h"

/*
 * No O_EXCL: an attempt that failed after creating the inode must not make
 * the retry fail with EEXIST; the retry opens what is there.
 */
static int setup_path(struct fs_ctx *c)
{
	fs_path(c, 0, "new");
	return 0;
}

static long call_open(struct fs_ctx *c)
{
	c->fd[0] = open(c->path[0], O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	return c->fd[0];
}

static int setup_openat(struct fs_ctx *c)
{
	c->fd[1] = SAFE(open(c->dir, O_PATH | O_DIRECTORY | O_CLOEXEC));
	return 0;
}

static long call_openat(struct fs_ctx *c)
{
	c->fd[0] = openat(c->fd[1], "new", O_CREAT | O_RDWR | O_CLOEXEC, 0644);
	return c->fd[0];
}

static long call_creat(struct fs_ctx *c)
{
	c->fd[0] = creat(c->path[0], 0644);
	return c->fd[0];
}

static long call_tmpfile(struct fs_ctx *c)
{
	c->fd[0] = open(c->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	return c->fd[0];
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

/* ENOSPC: shmem_get_inode() reports a failed inode allocation as "no room". */
FS_HARNESS(open_creat) = {
	.area     = "fs",
	.setup    = setup_path,
	.call     = call_open,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
};

FS_HARNESS(openat_creat) = {
	.area     = "fs",
	.setup    = setup_openat,
	.call     = call_openat,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
};

FS_HARNESS(creat) = {
	.area     = "fs",
	.setup    = setup_path,
	.call     = call_creat,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
};

FS_HARNESS(open_tmpfile) = {
	.area     = "fs",
	.call     = call_tmpfile,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
};
