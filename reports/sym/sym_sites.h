/*
 * The static list of allocation sites of vmlinux or a .ko, from its DWARF:
 * every call whose target is an allocator of reports/sym/sym_alloc.h
 * (DW_TAG_call_site / DW_TAG_GNU_call_site with a call origin) and every
 * inlined allocator helper (DW_TAG_inlined_subroutine of kmalloc(),
 * kzalloc(), ...), placed at the caller's file:line exactly as sym.c
 * places a stack frame, so a faulted frame and its static site meet.
 *
 * Each site also says whether a fail-nth sweep can reach it at all, where
 * the file tells: a constant gfp argument with __GFP_NOFAIL (the fault
 * attributes never fail those), or code in vmlinux's .init.text (run at
 * boot, freed before any sweep). Nothing else is claimed.
 *
 * A scan of the test kernel's vmlinux takes seconds; the list is cached by
 * the file's build id in $XDG_CACHE_HOME/faultsweep/sites/.
 */
#ifndef FS_SYM_SITES_H
#define FS_SYM_SITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reports/sym/sym.h"

enum sym_reach {
	SYM_REACH_SWEEPABLE,	/* nothing known keeps fail-nth from failing it */
	SYM_REACH_NOFAIL,	/* constant gfp with __GFP_NOFAIL */
	SYM_REACH_BOOT_ONLY,	/* in vmlinux's .init.text */
	SYM_REACH_NR,
};

/** sym_reach_str() - "sweepable", "nofail", "boot-only". */
const char *sym_reach_str(enum sym_reach r);

/* One allocation site: a source line that calls an allocator. */
struct sym_site {
	const char *file;	/* as sym_resolve() gives it */
	const char *func;	/* the function whose source holds the line (maybe inlined) */
	const char *scope_file;	/* where @func starts, for lcov's FN */
	const char *sym;	/* the ELF symbol the call is in, compiler suffix dropped */
	const char *alloc;	/* the allocator called, "_noprof" dropped: "kmalloc" */
	const char *family;	/* its sym_allocator family */
	const char *faults;	/* its sym_allocator fault types */
	int line, scope_line;
	uint32_t gfp;		/* the gfp argument when @gfp_known */
	bool gfp_known;
	bool tail;		/* a tail call: the stack shows @sym's callers instead */
	enum sym_reach reach;
	unsigned calls;		/* call instructions of this line */
};

struct sym_pool;

struct sym_sites {
	struct sym_site *v;	/* sorted by file, line */
	size_t n;
	char module[KREPORT_MOD_MAX];	/* "" for vmlinux */
	char path[SYM_PATH_MAX];
	char build_id[64];	/* hex, "" when the file has none (then never cached) */
	char root[SYM_PATH_MAX];	/* the kernel source tree ("" unknown), with a '/' */
	unsigned partial_funcs;	/* functions whose calls the DWARF does not all describe */
	bool nofail_known;	/* ___GFP_NOFAIL_BIT was found: nofail sites are told apart */
	bool cached;		/* read from the cache */
	double scan_s;		/* what the scan (or the cache read) took */
	struct sym_pool *pool;	/* owns the strings */
};

/**
 * sym_sites_get() - the allocation sites of @module ("" for vmlinux) in
 * the file @s serves for it, from the cache in @cache_dir when it holds
 * them (NULL: no cache), else scanned (and stored there when the file has
 * a build id; a cache that cannot be written is no error).
 *
 * Return: 0 with @out filled (free it with sym_sites_free()); -ENOENT no
 * file for @module, -ENODATA the file has no DWARF, -ENOMEM.
 */
int sym_sites_get(struct sym *s, const char *module, const char *cache_dir,
		  struct sym_sites *out);

void sym_sites_free(struct sym_sites *l);

/**
 * sym_sites_find() - the site of @l at @file:@line, or NULL.
 */
const struct sym_site *sym_sites_find(const struct sym_sites *l, const char *file, int line);

/**
 * sym_call_target() - the function the call instruction before the return
 * address @symoff (as printed: "fasync_helper+0x3a/0x90") in @module calls,
 * by the DWARF call site there, into @callee. 0; -ENOENT no file, -ESRCH
 * no such symbol or no direct call described there, -EINVAL unparsable.
 */
int sym_call_target(struct sym *s, const char *module, const char *symoff, char *callee,
		    size_t len);

/** sym_sites_cache_dir() - $XDG_CACHE_HOME/faultsweep/sites (or ~/.cache/...) into @buf. 0 or -ENOENT. */
int sym_sites_cache_dir(char *buf, size_t len);

/* For sym_sites_cache.c: read @l's list from @dir when it is there (0), or -ENOENT. */
int sym_sites_cache_read(const char *dir, struct sym_sites *l);

/* For sym_sites_cache.c: store @l in @dir. 0 or -errno. */
int sym_sites_cache_write(const char *dir, const struct sym_sites *l);

/* String interning for the lists (sym_sites_cache.c reads into it too). */
const char *sym_pool_str(struct sym_pool **p, const char *s);
void sym_pool_free(struct sym_pool *p);

#endif
