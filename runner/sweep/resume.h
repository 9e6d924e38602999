/* --resume: where each case of an earlier journal stopped. */
#ifndef FS_RESUME_H
#define FS_RESUME_H

#include <stddef.h>

#include "runner/sweep/sup_case.h"

/**
 * resume_load() - read @path (reports/jread) and set, for each of @cases,
 * done (a "case" record exists) or from (last journaled N + 1) and the
 * counts of the steps journaled so far (steps, fails, broks, kernel reports
 * attributed to them), so the case's verdict covers them. A cut last
 * line (panic) is skipped with a warning. Returns the number of records of
 * these cases, 0 when @path does not exist, or -errno.
 */
int resume_load(const char *path, struct sup_case *cases, size_t n);

#endif
