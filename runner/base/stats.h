/*
 * The live counters of a run or an exec sweep: what the progress line draws
 * and the summary prints. Every stage counts what it judged or journaled
 * here — the supervisor's slots their steps and cases, the exec engine its
 * runs, the kernel-log capture thread and the kmemleak scans their reports —
 * so that none reaches into another's state (docs/architecture.md).
 *
 * The stats_*() calls take the lock and accept a NULL @st (nothing counted).
 * A reader running beside them (the progress line) reads under @lock; once
 * they are done the fields are read directly.
 */
#ifndef FS_STATS_H
#define FS_STATS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define STATS_KINDS 16

struct fs_stats {
	pthread_mutex_t lock;
	unsigned cases_done, cases_total;
	uint64_t steps, fired, swallowed;
	uint64_t sites;         /* "patch" site records journaled */
	/* Steps by verdict; fail also counts each finding outside a step. */
	unsigned pass, fail, brok, conf;
	unsigned kinds_n;       /* findings by kind, the first STATS_KINDS kinds seen */
	char kinds[STATS_KINDS][32];
	unsigned kind_count[STATS_KINDS];
	char current[96];       /* "case nth=N" of the most recent step */
};

#define FS_STATS_INIT { .lock = PTHREAD_MUTEX_INITIALIZER }

/**
 * stats_step() - one journaled step of @case_name at @nth: whether its fault
 * fired and was swallowed, and its @verdict ("PASS", "FAIL", "BROK", "CONF";
 * anything else counts as BROK). Its findings go through stats_kind().
 */
void stats_step(struct fs_stats *st, const char *case_name, unsigned nth, bool fired,
		bool swallowed, const char *verdict);

/** stats_kind() - a finding of @kind in a step already counted FAIL. */
void stats_kind(struct fs_stats *st, const char *kind);

/** stats_finding() - a finding of @kind outside any step (a kernel report, a taint): a failure. */
void stats_finding(struct fs_stats *st, const char *kind);

/** stats_verdict() - a case that ended @verdict ("BROK", "CONF") without a step record. */
void stats_verdict(struct fs_stats *st, const char *verdict);

/** stats_site() - one more "site" record journaled from fail-nth-site. */
void stats_site(struct fs_stats *st);

/** stats_cases() - @n more cases to sweep. */
void stats_cases(struct fs_stats *st, unsigned n);

/** stats_case_done() - one more case finished; returns how many have (0 for a NULL @st). */
unsigned stats_case_done(struct fs_stats *st);

#endif
