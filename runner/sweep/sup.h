/* The supervisor: -j worker slots (threads), each running one case's worker at a time. */
#ifndef FS_SUP_H
#define FS_SUP_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "journal/journal.h"
#include "harness/harness.h"

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

/* One case to sweep, and what became of it. */
struct sup_case {
	const struct fs_harness *h;
	unsigned from;          /* first N (resume) */
	/* results */
	unsigned points;        /* fault points found (0 when unknown) */
	unsigned steps;
	unsigned fails, broks;
	unsigned kreports;      /* kernel reports attributed to the case */
	bool done, conf, nondet;
	char verdict[8];
};

/* Live counters for the progress line and the summary. */
struct sup_stats {
	pthread_mutex_t lock;
	unsigned cases_done, cases_total;
	uint64_t steps, fired, swallowed;
	uint64_t sites;         /* "patch" site records journaled (sup_record_site()) */
	unsigned pass, fail, brok, conf;
	unsigned kinds_n;
	char kinds[16][32];
	unsigned kind_count[16];
	char current[96];       /* "case nth=N" of the most recent step */
};

/** sup_count_finding() - count a finding of @kind outside a step (kernel report, taint). */
void sup_count_finding(struct sup_stats *st, const char *kind);

/**
 * sup_run() - sweep @cases with @o->jobs workers in parallel. Returns when
 * every case is done or *@stop becomes true (then workers are killed and the
 * cases in flight stay unfinished in the journal, ready for --resume).
 */
int sup_run(const struct sup_opts *o, struct sup_case *cases, size_t ncases,
	    struct sup_stats *st, volatile bool *stop);

#endif
