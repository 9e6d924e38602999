/* rename(2) and renameat2(2) (replace, exchange, whiteout) in the worker's tmpfs directory. */
#include <fcntl.h>
#include <stdio.h>

#include "harness/harness.h"

static int setup_one(struct fs_ctx *c)
{
	fs_write_file(fs_path(c, 0, "a"), "a\n");
	fs_path(c, 1, "b");
	return 0;
}

static int setup_two(struct fs_ctx *c)
{
	fs_write_file(fs_path(c, 0, "a"), "a\n");
	fs_write_file(fs_path(c, 1, "b"), "b\n");
	return 0;
}

static long call_rename(struct fs_ctx *c)
{
	return rename(c->path[0], c->path[1]);
}

static long call_exchange(struct fs_ctx *c)
{
	return renameat2(AT_FDCWD, c->path[0], AT_FDCWD, c->path[1], RENAME_EXCHANGE);
}

/* Leaves a whiteout (a 0:0 char device) at "a": shmem makes a new inode for it. */
static long call_whiteout(struct fs_ctx *c)
{
	return renameat2(AT_FDCWD, c->path[0], AT_FDCWD, c->path[1], RENAME_WHITEOUT);
}

/* ENOSPC: rename(2) documents it for "no room for the new directory entry". */
FS_HARNESS(rename) = {
	.area     = "fs",
	.setup    = setup_one,
	.call     = call_rename,
	.errnos   = FS_ERRNOS(ENOSPC),
};

FS_HARNESS(rename_replace) = {
	.area     = "fs",
	.setup    = setup_two,
	.call     = call_rename,
	.errnos   = FS_ERRNOS(ENOSPC),
};

FS_HARNESS(renameat2_exchange) = {
	.area     = "fs",
	.setup    = setup_two,
	.call     = call_exchange,
	.errnos   = FS_ERRNOS(ENOSPC),
};

FS_HARNESS(renameat2_whiteout) = {
	.area     = "fs",
	.setup    = setup_one,
	.call     = call_whiteout,
	.errnos   = FS_ERRNOS(ENOSPC),
};
