/* setxattr(2), getxattr(2), listxattr(2), removexattr(2): user.* xattrs on a tmpfs file. */
#include <sys/xattr.h>

#include "harness/harness.h"

static const char value[] = "faultsweep xattr value";

/*
 * tmpfs has user.* xattrs only since 6.6; an older kernel built with
 * CONFIG_TMPFS_XATTR still refuses them, so probe on a scratch file.
 */
static void need_user_xattr(struct fs_ctx *c)
{
	fs_write_file(fs_path(c, 3, "probe"), "");
	if (setxattr(c->path[3], "user.probe", "1", 1, 0) < 0) {
		if (errno == EOPNOTSUPP)
			FS_CONF("tmpfs without user.* xattrs (kernel < 6.6)");
		fs_broken(__FILE__, __LINE__, errno, "setxattr %s", c->path[3]);
	}
}

static int setup_file(struct fs_ctx *c)
{
	need_user_xattr(c);
	fs_write_file(fs_path(c, 0, "file"), "data\n");
	return 0;
}

static int setup_with_xattr(struct fs_ctx *c)
{
	setup_file(c);
	SAFE(setxattr(c->path[0], "user.fs", value, sizeof(value), XATTR_CREATE));
	SAFE(setxattr(c->path[0], "user.other", "x", 1, XATTR_CREATE));
	return 0;
}

/* Flags 0, not XATTR_CREATE: a failed attempt that stored it anyway must not fail the retry. */
static long call_set(struct fs_ctx *c)
{
	return setxattr(c->path[0], "user.fs", value, sizeof(value), 0);
}

static long call_replace(struct fs_ctx *c)
{
	return setxattr(c->path[0], "user.fs", "new", 3, XATTR_REPLACE);
}

static long call_get(struct fs_ctx *c)
{
	return getxattr(c->path[0], "user.fs", c->buf, sizeof(c->buf));
}

static long call_list(struct fs_ctx *c)
{
	return listxattr(c->path[0], c->buf, sizeof(c->buf));
}

static long call_remove(struct fs_ctx *c)
{
	return removexattr(c->path[0], "user.fs");
}

/* ENOSPC: setxattr(2) documents it; tmpfs charges user xattrs to its inode space. */
FS_HARNESS(setxattr) = {
	.area     = "fs",
	.setup    = setup_file,
	.call     = call_set,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_TMPFS_XATTR"),
};

FS_HARNESS(setxattr_replace) = {
	.area     = "fs",
	.setup    = setup_with_xattr,
	.call     = call_replace,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_TMPFS_XATTR"),
};

FS_HARNESS(getxattr) = {
	.area     = "fs",
	.setup    = setup_with_xattr,
	.call     = call_get,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_TMPFS_XATTR"),
};

FS_HARNESS(listxattr) = {
	.area     = "fs",
	.setup    = setup_with_xattr,
	.call     = call_list,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_TMPFS_XATTR"),
};

FS_HARNESS(removexattr) = {
	.area     = "fs",
	.setup    = setup_with_xattr,
	.call     = call_remove,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_TMPFS_XATTR"),
};
