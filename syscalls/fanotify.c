/* fanotify_init(2) and fanotify_mark(2) inode, mount and filesystem marks on the worker's tmpfs. */
#include <fcntl.h>
#include <sys/fanotify.h>
#include <unistd.h>

#include "harness/harness.h"

static long call_init(struct fs_ctx *c)
{
	c->fd[0] = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY | O_CLOEXEC);
	return c->fd[0];
}

static int setup_mark(struct fs_ctx *c)
{
	c->fd[0] = SAFE(fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY | O_CLOEXEC));
	fs_write_file(fs_path(c, 0, "watched"), "data\n");
	return 0;
}

/* FAN_MARK_ADD on an existing mark just ORs the mask, so the retry is fine. */
static long call_mark_inode(struct fs_ctx *c)
{
	return fanotify_mark(c->fd[0], FAN_MARK_ADD, FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE,
			     AT_FDCWD, c->path[0]);
}

/*
 * The mount and the superblock are shared with other workers: FAN_OPEN_EXEC
 * is an event nobody there causes, so our group queues nothing of theirs
 * (and allocates nothing in their fault windows) while it exists.
 */
static long call_mark_mount(struct fs_ctx *c)
{
	return fanotify_mark(c->fd[0], FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN_EXEC,
			     AT_FDCWD, c->dir);
}

static long call_mark_filesystem(struct fs_ctx *c)
{
	return fanotify_mark(c->fd[0], FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN_EXEC,
			     AT_FDCWD, c->dir);
}

/* Closing the group drops its marks. */
static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(fanotify_init) = {
	.area     = "fd",
	.call     = call_init,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_FANOTIFY"),
};

/* ENOSPC: fanotify_mark(2) documents it for the limit on the number of marks. */
FS_HARNESS(fanotify_mark_inode) = {
	.area     = "fd",
	.setup    = setup_mark,
	.call     = call_mark_inode,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_FANOTIFY"),
};

FS_HARNESS(fanotify_mark_mount) = {
	.area     = "fd",
	.setup    = setup_mark,
	.call     = call_mark_mount,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_FANOTIFY"),
};

FS_HARNESS(fanotify_mark_filesystem) = {
	.area     = "fd",
	.setup    = setup_mark,
	.call     = call_mark_filesystem,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_FANOTIFY"),
};
