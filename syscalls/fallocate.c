/* fallocate(2) on tmpfs: preallocating a range (shmem_fallocate) and punching a hole. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

static int setup_empty(struct fs_ctx *c)
{
	c->fd[0] = SAFE(open(fs_path(c, 0, "file"), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
	return 0;
}

static int setup_data(struct fs_ctx *c)
{
	setup_empty(c);
	memset(c->buf, 'x', sizeof(c->buf));
	for (int i = 0; i < 4; i++)
		if (write(c->fd[0], c->buf, sizeof(c->buf)) != (ssize_t)sizeof(c->buf))
			fs_broken(__FILE__, __LINE__, errno, "write %s", c->path[0]);
	return 0;
}

/* 16 pages: every page allocation is a fault site, so keep the sweep short. */
static long call_alloc(struct fs_ctx *c)
{
	return fallocate(c->fd[0], 0, 0, 16 * 4096);
}

/* Unaligned at both ends: zeroes two partial pages, drops the whole ones between. */
static long call_punch(struct fs_ctx *c)
{
	return fallocate(c->fd[0], FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1000, 3 * 4096);
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

/* ENOSPC: fallocate(2) documents it for a full filesystem. */
FS_HARNESS(fallocate) = {
	.area     = "fs",
	.setup    = setup_empty,
	.call     = call_alloc,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
};

FS_HARNESS(fallocate_punch_hole) = {
	.area     = "fs",
	.setup    = setup_data,
	.call     = call_punch,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
};
