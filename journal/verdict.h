/*
 * Verdicts and findings as the journal records them: the names a step or
 * case record carries, and the one rule that makes a case's verdict from
 * its steps (docs/architecture.md, Verdicts). Shared by the supervisor, the
 * exec engine and reports/.
 */
#ifndef FS_VERDICT_H
#define FS_VERDICT_H

#include <stdbool.h>

enum fs_verdict_kind { FS_PASS, FS_FAIL, FS_BROK, FS_CONF };

/** fs_verdict_name() - "PASS", "FAIL", "BROK" or "CONF"; "BROK" for a value out of range. */
const char *fs_verdict_name(enum fs_verdict_kind k);

/* Long enough for every finding title the runner makes (exec's are the longest). */
#define FS_FINDING_TITLE_MAX 320

/* A finding of a step, as its record's "findings" array holds it. */
struct fs_finding {
	char kind[32];      /* unexpected-errno, fd-leak, retry-failed, worker-killed, hang, ... */
	char title[FS_FINDING_TITLE_MAX];  /* stable text for dedup: no pids, no addresses */
};

/* What a case's verdict is made of. */
struct fs_case_tally {
	unsigned fails;     /* steps judged FAIL (findings of the oracles) */
	unsigned kreports;  /* kernel reports attributed to the case */
	unsigned broks;     /* steps (or the case's set-up) that broke: BROK */
	bool conf;          /* the case, or a step of it, could not run here: CONF */
};

/**
 * fs_case_verdict() - the verdict of a case: FAIL when any step failed or
 * any kernel report was attributed to it, else BROK when anything broke,
 * else CONF when any part of it could not run here, else PASS. A finding is
 * never hidden by CONF or BROK, and a breakage is never blamed on the kernel.
 */
enum fs_verdict_kind fs_case_verdict(const struct fs_case_tally *t);

#endif
