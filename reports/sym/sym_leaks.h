/* Function names for the kmemleak frames of modules unloaded before the scan. */
#ifndef FS_SYM_LEAKS_H
#define FS_SYM_LEAKS_H

#include <stddef.h>

#include "journal/jread.h"

/**
 * sym_name_unloaded_leaks() - retitle every memory-leak report of @j titled
 * "memory leak in .text+0xOFF [MODULE]" to the function at that offset of
 * MODULE's .ko, found in @modules (.ko files or directories): "memory leak
 * in FUNC [MODULE]". A .ko that is not found leaves the title. The new
 * titles belong to @j. Returns how many were renamed, or -errno.
 */
int sym_name_unloaded_leaks(struct jread_journal *j, const char *const *modules, size_t nmodules);

#endif
