/* Locating the cached test kernel built by kernel/build.sh. */
#ifndef FS_KBUILD_H
#define FS_KBUILD_H

#include <stddef.h>

/**
 * kbuild_default_bzimage() - path of the cached default test kernel's bzImage.
 * Returns 0, or -1 when none is built (build.sh has printed why on stderr).
 */
int kbuild_default_bzimage(char *buf, size_t len);

#endif
