/*
 * The coverage map: every allocation site whose failure a sweep exercised,
 * made from the journal's "site" records (from fail-nth-site or a
 * fault-injection dump, runner/capture/kcap.c) joined with the step each
 * belongs to, symbolized with reports/sym/sym.h, against the denominator:
 * the static list of allocation sites of vmlinux and the modules in play
 * (reports/sym/sym_sites.h), limited to a scope (directories, modules).
 * Written as OUT/coverage/coverage.json, an lcov tracefile whose lines are
 * the allocation sites (OUT/coverage/coverage.info, rendered with genhtml
 * when it is installed) and a text table (cov_summary_text()).
 * docs/coverage.md has the formats and what the percentage means.
 */
#ifndef FS_COV_H
#define FS_COV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "journal/jread.h"
#include "reports/sym/sym.h"
#include "reports/sym/sym_sites.h"

/* Outcome classes of a step that hit a site. */
enum cov_outcome {
	COV_HANDLED,		/* PASS, not swallowed: expected errno */
	COV_UNEXPECTED_ERRNO,	/* an unexpected-errno finding */
	COV_SWALLOWED,		/* the fault fired and the call succeeded */
	COV_OTHER_FINDING,	/* fd-leak, retry-failed, worker-killed, hang, panic ... */
	COV_KERNEL_REPORT,	/* a kernel report (KASAN, leak, ...) attached to the step */
	COV_NO_STEP,		/* no step record for it (lost with the kernel, or a repeat) */
	COV_NR_OUTCOMES,
};

/** cov_outcome_str() - "handled", "unexpected-errno", ... (no commas: lcov-safe). */
const char *cov_outcome_str(enum cov_outcome o);

struct cov_step {
	const char *case_name;		/* points into the journal */
	uint64_t nth;
};

struct cov_count {
	char name[48];
	unsigned n;
};

/*
 * Why a site counts apart from the percentage: what the static list says
 * (enum sym_reach), and a family none of the run's --faults types can fail.
 */
enum cov_reach {
	COV_REACH_SWEEPABLE,
	COV_REACH_NOFAIL,	/* constant gfp with __GFP_NOFAIL */
	COV_REACH_BOOT_ONLY,	/* vmlinux .init.text */
	COV_REACH_NOT_INJECTED,	/* e.g. a page allocation in a --faults slab run */
	COV_NR_REACH,
};

/** cov_reach_str() - "sweepable", "nofail", "boot-only", "not-injected". */
const char *cov_reach_str(enum cov_reach r);

/*
 * One allocation site: a source line that allocates (listed in the static
 * list, or known only because a fault hit it), with what the faults there
 * did. Faulted points (symbol+offset) placed on one listed line are one site.
 */
struct cov_site {
	char sym[KREPORT_SYM_MAX];	/* as printed: "unix_create1+0x6a/0x8a0"; "" never faulted */
	char module[KREPORT_MOD_MAX];	/* "" for vmlinux */
	struct sym_loc loc;		/* func always; file/line when symbolized */
	bool symbolized;
	char note[160];			/* why not symbolized */
	char faults[4][24];		/* fault types seen here */
	int nfaults;
	struct cov_step *steps;		/* the (case, N) that hit it */
	size_t nsteps;
	unsigned outcomes[COV_NR_OUTCOMES];
	struct cov_count *kinds;	/* finding kinds and kernel report kinds */
	size_t nkinds;
	/* From the static list (reports/sym/sym_sites.h). */
	bool listed;			/* the line is in its file's static list */
	bool in_scope;			/* counted in the totals and written to lcov */
	char family[16];		/* "slab", ... ("" unknown: not listed, no fault type) */
	char alloc[KREPORT_SYM_MAX];	/* the allocator called ("" unknown) */
	enum cov_reach reach;
	bool contradicted;		/* listed as unreachable, yet a fault hit it */
	bool tail;			/* a tail call: faults show at the callers of loc.func */
	bool gfp_known;
	uint32_t gfp;
	unsigned points;		/* faulted symbol+offset points merged here */
	unsigned rel_off;		/* loc.file + rel_off: the path below the kernel source tree */
};

/* Faulted out of all sites of one scope, directory, file or function. */
struct cov_group {
	char name[SYM_PATH_MAX];	/* "net/core", "fs_planted", a file, "func file" */
	char module[KREPORT_MOD_MAX];	/* "" vmlinux */
	unsigned sites;			/* all sites, reachable or not */
	unsigned sweepable;		/* the percentage's denominator */
	unsigned faulted;		/* its numerator (faulted sites are sweepable) */
	unsigned unlisted;		/* faulted sites the static list lacks */
	unsigned reach[COV_NR_REACH];	/* sites by reach (the sweepable ones included) */
};

/* One file the denominator was read from. */
struct cov_denom {
	char module[KREPORT_MOD_MAX];	/* "" vmlinux */
	char path[SYM_PATH_MAX];
	char build_id[64];
	char note[200];			/* why it could not be read ("" fine) */
	size_t sites;
	unsigned partial_funcs;
	bool nofail_known, cached, ok;
	double scan_s;
};

struct cov_map {
	/* Faulted sites first (most-hit first), then the never-faulted ones in scope. */
	struct cov_site *sites;
	size_t nsites;
	size_t nfaulted;
	uint64_t site_records;		/* "site" records read (repeats of a step dropped) */
	uint64_t patch_records;		/* of which from fail-nth-site ("attribution":"patch") */
	uint64_t fired_steps;		/* step records with fired */
	uint64_t steps_with_site;	/* fired steps that have a site */
	uint64_t unresolved;		/* fired steps with no site (see docs/coverage.md) */
	uint64_t no_frame;		/* dumps without a frame outside the machinery */
	uint64_t unattributed;		/* site records not attributed to a step */
	uint64_t lost_steps;		/* steps whose worker or kernel died before a site was read */
	bool coverage_on;		/* a run record says --coverage */
	char vmlinux[SYM_PATH_MAX];	/* "" when none was found */
	char kernel_build[SYM_PATH_MAX];
	char note[512];			/* when there is no site data, or no symbols */
	/* The denominator. */
	struct cov_denom *denoms;
	size_t ndenoms;
	struct cov_group total;		/* everything in scope */
	struct cov_group *scopes, *dirs, *files, *funcs;
	size_t nscopes, ndirs, nfiles, nfuncs;
	bool default_scope;		/* no --coverage-scope: the directories and modules touched */
	char root[SYM_PATH_MAX];	/* the kernel source tree, with its '/' ("" unknown) */
	char faults[64];		/* the runs' --faults types, "" unknown */
	uint64_t repicked;		/* site records moved past an allocator helper */
	uint64_t tail_mapped;		/* faulted points placed on a tail-call site */
};

struct cov_opts {
	const char *vmlinux;		/* NULL: <kernel_build>/vmlinux of the run record */
	const char *const *modules;	/* .ko files or directories */
	size_t nmodules;
	/* DIR (below the source tree), MODULE (name or .ko), or "vmlinux"; none: the touched ones */
	const char *const *scopes;
	size_t nscopes;
	const char *cache_dir;		/* site cache; NULL: $XDG_CACHE_HOME/faultsweep/sites */
	bool no_cache;
};

/**
 * cov_build() - make the map of @j. Symbolization problems (no vmlinux, no
 * .ko, a symbol not found) leave sites as symbol+offset with a note, never
 * an error. Returns 0 or -ENOMEM; cov_free() @m in any case.
 */
int cov_build(const struct jread_journal *j, const struct cov_opts *o, struct cov_map *m);

void cov_free(struct cov_map *m);

/** cov_write_json() - @m as JSON into @path. 0 or -errno. */
int cov_write_json(const struct cov_map *m, const char *path);

/**
 * cov_write_lcov() - the sweepable sites in scope as an lcov tracefile at
 * @path (lcov 1.16 format: one DA line per allocation site line, its count
 * the steps that faulted it; FN/FNDA the functions holding them). Returns
 * the number of source files written, or -errno.
 */
int cov_write_lcov(const struct cov_map *m, const char *path);

/**
 * cov_genhtml() - render @info into @dir with genhtml, with a text on each
 * page saying what lines and counts mean, and each site's outcome written
 * next to its line in the source view. 0; -ENOENT when genhtml is not
 * installed; -EIO when it failed. @note says what happened (missing
 * sources are rendered without source text).
 */
int cov_genhtml(const struct cov_map *m, const char *info, const char *dir, char *note,
		size_t len);

/** cov_pct() - @g's faulted / sweepable as "42.9 %" ("-" when it counts no site) into @buf. */
void cov_pct(const struct cov_group *g, char *buf, size_t len);

/**
 * cov_site_describe() - one line on @s for a reader: how often it was
 * faulted and what happened, or that it never was, or why it is not counted.
 */
void cov_site_describe(const struct cov_site *s, char *buf, size_t len);

/* For cov.c: the denominator joined in (cov_denom.c). 0 or -ENOMEM. */
int cov_denominator(const struct jread_journal *j, const struct cov_opts *o, struct sym *sy,
		    struct cov_map *m);

/* For cov_denom.c: merge site @from into @into (steps, outcomes, kinds, faults). 0 or -ENOMEM. */
int cov_site_merge(struct cov_site *into, struct cov_site *from);

/**
 * cov_summary_text() - the table for a summary: totals, the most-hit sites,
 * the sites with findings. 0 or -errno (a write error).
 */
int cov_summary_text(const struct cov_map *m, FILE *f);

#endif
