/* The cached test kernel built by kernel/build.sh: locating it, and build.sh itself. */
#ifndef FS_KBUILD_H
#define FS_KBUILD_H

#include <stdbool.h>
#include <stddef.h>

/**
 * kbuild_default_bzimage() - path of the cached default test kernel's bzImage.
 * Returns 0, or -1 when none is built (build.sh has printed why on stderr).
 */
int kbuild_default_bzimage(char *buf, size_t len);

/**
 * kbuild_exec() - replace this process with `bash kernel/build.sh
 * [--lookup] ARGV...` (@lookup: only print the cached build directory; see
 * docs/kernel.md for the options and exit codes). Returns only on failure,
 * with -errno.
 */
int kbuild_exec(bool lookup, int argc, char **argv);

#endif
