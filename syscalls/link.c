/* link(2) and symlink(2): new names for a file in the worker's tmpfs directory. */
#include <unistd.h>

#include "harness/harness.h"

static int setup_link(struct fs_ctx *c)
{
	fs_write_file(fs_path(c, 0, "old"), "data\n");
	fs_path(c, 1, "new");
	return 0;
}

static long call_link(struct fs_ctx *c)
{
	return link(c->path[0], c->path[1]);
}

static int setup_symlink(struct fs_ctx *c)
{
	fs_path(c, 1, "new");
	return 0;
}

/* Longer than a short inline target, so the body needs its own allocation. */
static long call_symlink(struct fs_ctx *c)
{
	return symlink("a/symlink/target/that/does/not/need/to/exist/anywhere/at/all/"
		       "padded/out/past/the/inline/size", c->path[1]);
}

/* ENOSPC: link(2) and symlink(2) document it; tmpfs reports inode shortage so. */
FS_HARNESS(link) = {
	.area     = "fs",
	.setup    = setup_link,
	.call     = call_link,
	.errnos   = FS_ERRNOS(ENOSPC),
};

FS_HARNESS(symlink) = {
	.area     = "fs",
	.setup    = setup_symlink,
	.call     = call_symlink,
	.errnos   = FS_ERRNOS(ENOSPC),
};
