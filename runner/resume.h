/* --resume: where each case of an earlier journal stopped. */
#ifndef FS_RESUME_H
#define FS_RESUME_H

#include <stddef.h>

#include "runner/sup.h"

/**
 * resume_load() - read @path and set, for each of @cases, done (a "case"
 * record exists) or from (last journaled N + 1). A cut last line (panic) is
 * skipped with a warning. Returns the number of records read or -errno.
 */
int resume_load(const char *path, struct sup_case *cases, size_t n);

/* Field extraction from one journal line of ours (flat keys, escaped strings). */
int jline_str(const char *line, const char *key, char *out, size_t len);
int jline_uint(const char *line, const char *key, unsigned long *out);

#endif
