/* Selecting harnesses by pattern: `run` and `list` arguments. */
#ifndef FS_REGISTRY_H
#define FS_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/harness.h"

/**
 * reg_matches() - whether @h is selected by @pattern: a shell glob on the
 * case name or on "area.name", or an area name ("net"). Hidden cases match
 * only their exact name.
 */
bool reg_matches(const struct fs_harness *h, const char *pattern);

/**
 * reg_nearest() - up to @max visible cases whose names are closest to
 * @pattern (substring or small edit distance), for "did you mean". Returns
 * how many were stored in @out; 0 when nothing is close.
 */
size_t reg_nearest(const char *pattern, const struct fs_harness **out, size_t max);

#endif
