/* mkdir(2) and rmdir(2) in the worker's tmpfs directory. */
#include <sys/stat.h>
#include <unistd.h>

#include "harness/harness.h"

static int setup_mkdir(struct fs_ctx *c)
{
	fs_path(c, 0, "sub");
	return 0;
}

static long call_mkdir(struct fs_ctx *c)
{
	return mkdir(c->path[0], 0755);
}

static int setup_rmdir(struct fs_ctx *c)
{
	SAFE(mkdir(fs_path(c, 0, "sub"), 0755));
	return 0;
}

static long call_rmdir(struct fs_ctx *c)
{
	return rmdir(c->path[0]);
}

FS_HARNESS(mkdir) = {
	.area     = "fs",
	.setup    = setup_mkdir,
	.call     = call_mkdir,
	.errnos   = FS_ERRNOS(ENOSPC),
};

FS_HARNESS(rmdir) = {
	.area     = "fs",
	.setup    = setup_rmdir,
	.call     = call_rmdir,
};
