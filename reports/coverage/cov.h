/*
 * The coverage map: every allocation site whose failure a sweep exercised,
 * made from the journal's "site" records (one per fault-injection dump,
 * runner/capture/kcap.c) joined with the step each belongs to, symbolized with
 * reports/sym/sym.h. Written as OUT/coverage/coverage.json, an lcov tracefile
 * (OUT/coverage/coverage.info, rendered with genhtml when it is installed)
 * and a text table (cov_summary_text()). docs/coverage.md has the formats.
 */
#ifndef FS_COV_H
#define FS_COV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "journal/jread.h"
#include "reports/sym/sym.h"

/* Outcome classes of a step that hit a site; also lcov BRDA branch numbers. */
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

struct cov_site {
	char sym[KREPORT_SYM_MAX];	/* as printed: "unix_create1+0x6a/0x8a0" */
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
};

struct cov_map {
	struct cov_site *sites;		/* most-hit first */
	size_t nsites;
	uint64_t site_records;		/* "site" records read (repeats of a step dropped) */
	uint64_t patch_records;		/* of which from fail-nth-site ("attribution":"patch") */
	uint64_t fired_steps;		/* step records with fired */
	uint64_t steps_with_site;	/* fired steps that have a site */
	uint64_t unresolved;		/* fired steps with no site (see docs/coverage.md) */
	uint64_t no_frame;		/* dumps without a frame outside the machinery */
	uint64_t unattributed;		/* site records not attributed to a step */
	bool coverage_on;		/* a run record says --coverage */
	char vmlinux[SYM_PATH_MAX];	/* "" when none was found */
	char kernel_build[SYM_PATH_MAX];
	char note[512];			/* when there is no site data, or no symbols */
};

struct cov_opts {
	const char *vmlinux;		/* NULL: <kernel_build>/vmlinux of the run record */
	const char *const *modules;	/* .ko files or directories */
	size_t nmodules;
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
 * cov_write_lcov() - the symbolized sites as an lcov tracefile at @path
 * (lcov 1.16 format: DA = times faulted, FN/FNDA, BRDA branch = enum
 * cov_outcome). Returns the number of source files written, or -errno.
 */
int cov_write_lcov(const struct cov_map *m, const char *path);

/**
 * cov_genhtml() - render @info into @dir with genhtml. 0; -ENOENT when
 * genhtml is not installed; -EIO when it failed. @note says what happened
 * (missing sources are rendered without source text).
 */
int cov_genhtml(const char *info, const char *dir, char *note, size_t len);

/**
 * cov_summary_text() - the table for a summary: totals, the most-hit sites,
 * the sites with findings. 0 or -errno (a write error).
 */
int cov_summary_text(const struct cov_map *m, FILE *f);

#endif
