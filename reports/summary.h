/*
 * The run's summary (OUT/summary.txt and stdout), made from the journal
 * alone: findings grouped by their stable title with the first (case, N)
 * and its reproducer, counts per verdict, the run's notes (kmemleak off, no
 * kernel-log capture, log overruns), and fault points per case.
 */
#ifndef FS_SUMMARY_H
#define FS_SUMMARY_H

#include <stdio.h>

#include "reports/coverage/cov.h"
#include "journal/jread.h"

struct summary_opts {
	/* The report directory: a finding's reproducer is listed when
	 * OUT/repro/<case>-n<N>.sh exists there. NULL: none listed. */
	const char *out_dir;
	/* The coverage map, whose table ends the summary; NULL: none. */
	const struct cov_map *cov;
};

/** summary_print() - write the summary of @j to @f. Returns 0 or -errno. */
int summary_print(FILE *f, const struct jread_journal *j, const struct summary_opts *o);

/** summary_write() - summary_print() into the file @path. */
int summary_write(const struct jread_journal *j, const char *path, const struct summary_opts *o);

#endif
