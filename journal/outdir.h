/* Small filesystem helpers shared by the runner's commands. */
#ifndef FS_FSUTIL_H
#define FS_FSUTIL_H

/** fs_mkdir_p() - create @path and its missing parents (mode 0755). 0 or -errno. */
int fs_mkdir_p(const char *path);

#endif
