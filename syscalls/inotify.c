/* inotify_init1(2) and inotify_add_watch(2) on a file in the worker's tmpfs directory. */
#include <sys/inotify.h>
#include <unistd.h>

#include "harness/harness.h"

static long call_init(struct fs_ctx *c)
{
	c->fd[0] = inotify_init1(IN_CLOEXEC);
	return c->fd[0];
}

static int setup_watch(struct fs_ctx *c)
{
	c->fd[0] = SAFE(inotify_init1(IN_CLOEXEC));
	fs_write_file(fs_path(c, 0, "watched"), "data\n");
	return 0;
}

/* A retry after an attempt that left a watch behind just updates it. */
static long call_add_watch(struct fs_ctx *c)
{
	c->val[0] = inotify_add_watch(c->fd[0], c->path[0], IN_ALL_EVENTS);
	return c->val[0];
}

/* Closing the instance drops its watches. */
static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(inotify_init1) = {
	.area     = "fd",
	.call     = call_init,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INOTIFY_USER"),
};

/* ENOSPC: inotify_add_watch(2) documents it for "failed to allocate a needed resource". */
FS_HARNESS(inotify_add_watch) = {
	.area     = "fd",
	.setup    = setup_watch,
	.call     = call_add_watch,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INOTIFY_USER"),
};
