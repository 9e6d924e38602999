/* The supervisor: -j worker slots (threads), each running one case's worker at a time. */
#ifndef FS_SUP_H
#define FS_SUP_H

#include <stdbool.h>
#include <stddef.h>

#include "journal/journal.h"
#include "harness/harness.h"
#include "runner/base/stats.h"
#include "runner/sweep/sup_case.h"

struct sup_opts {
	unsigned jobs;
	unsigned timeout_s;     /* per step */
	unsigned max_nth;       /* 0 = none */
	unsigned faults;        /* fs_fault_mask */
	bool retry;
	bool sites;             /* journal a "patch" site record per fired step (fail-nth-site) */
	const char *tmpdir;     /* parent of the workers' private dirs */
	struct journal *journal;
	const char *run_id;
	double duration_s;      /* > 0: keep re-sweeping the selection this long (bench) */
	struct kcap *kcap;      /* kernel-log capture, or NULL */
	bool zygote;            /* workers come from the zygote (zyg_start() succeeded) */
	unsigned kleak_every;   /* kmemleak scan after every K finished cases; 0 = never */
	volatile bool *reboot;  /* set with *stop when a case left the kernel unusable */
};

/**
 * sup_run() - sweep @cases with @o->jobs workers in parallel, counting in
 * @st what is journaled (runner/base/stats.h). Returns when
 * every case is done or *@stop becomes true (then workers are killed and the
 * cases in flight stay unfinished in the journal, ready for --resume).
 */
int sup_run(const struct sup_opts *o, struct sup_case *cases, size_t ncases,
	    struct fs_stats *st, volatile bool *stop);

#endif
