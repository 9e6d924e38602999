/*
 * The kernel's allocators as data: which functions allocate (a call to one
 * from outside the allocators is an allocation site), their family (slab,
 * page, vmalloc, percpu, ...) and the fault types of `run --faults` that can
 * make them fail. The table is sym_alloc.c; docs/coverage.md says why each
 * family is there.
 */
#ifndef FS_SYM_ALLOC_H
#define FS_SYM_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

struct sym_allocator {
	const char *pattern;	/* a name, a prefix ending in '*' or a suffix after a '*' */
	const char *family;	/* "slab", "page", "vmalloc", "kvmalloc", "percpu", "skb",
				   "mempool", "other"; NULL: no allocator */
	const char *faults;	/* --faults types that can fail it: "slab,page" */
};

/**
 * sym_allocator_of() - the table row @func matches (a compiler suffix such
 * as ".constprop.0" is ignored), or NULL when @func is no allocator.
 */
const struct sym_allocator *sym_allocator_of(const char *func);

/**
 * sym_alloc_inside() - true when a stack frame or a call in @func belongs to
 * the allocators or the fault-injection machinery (fidump_is_machinery() or
 * a row of the table): such a frame is never an allocation site.
 */
bool sym_alloc_inside(const char *func);

/** sym_alloc_table_hash() - a hash of the table, part of the site cache's key. */
uint64_t sym_alloc_table_hash(void);

#endif
