/*
 * The exec engine: sweeps the fault points of an unmodified program's
 * syscalls (faultsweep exec, and module exercise / corpus scenarios).
 *
 * CMD runs under ptrace with a seccomp filter that stops it (SCMP_ACT_TRACE)
 * only at the selected syscalls; the others run at full speed. A clean run
 * enumerates the trapped invocations (k = 1, 2, ... in the order the tracer
 * sees them, across every thread and child). Then for each invocation k and
 * N = 1, 2, ...: CMD runs afresh, at the seccomp stop of invocation k the
 * tracer writes N into /proc/PID/task/TID/fail-nth of the calling thread,
 * resumes it to its syscall-exit stop, reads fail-nth back ("0" = fired) and
 * writes 0, then lets CMD finish. N ends at the first N that does not fire
 * (run once more to confirm, as `run` does).
 *
 * Every (k, N) is a journal "step" record of case "<area>.<name>.<k>.<sys>"
 * (docs/cli.md, exec), with CMD's exit status, the faulted syscall's return,
 * the user-space backtrace of the call and, when a traced process died by a
 * signal after the fault, a "user-crash" finding with its backtrace.
 */
#ifndef FS_EXEC_H
#define FS_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "journal/journal.h"
#include "runner/base/stats.h"

struct kcap;

/* What to sweep and how. Zero-initialise, then set argv at least. */
struct fs_exec_opts {
	char *const *argv;      /* CMD and its arguments; argv[0] found through $PATH */
	const char *syscalls;   /* --syscalls LIST (exec_sys_parse()); NULL: the default set */
	unsigned max_calls;     /* sweep only the first K invocations; 0: all */
	unsigned max_nth;       /* stop each invocation at N; 0: none */
	unsigned timeout_s;     /* per run of CMD; 0: 30 */
	const char *setup;      /* sh -c before each run (status must be 0), or NULL */
	const char *cleanup;    /* sh -c after each run and once before the first, or NULL */
	int expect_exit;        /* the clean run's expected exit status (0) */
	const char *area;       /* journal area; NULL: "exec" */
	const char *name;       /* case name part; NULL: basename of argv[0] */
	bool sites;             /* journal fail-nth-site of each fired step (patched kernels) */
	const char *resume;     /* a journal: skip its finished invocations, go on after its last N */
	bool quiet;             /* no progress lines on stderr */
};

/* Where the results go; owned by the caller. */
struct fs_exec_ctx {
	struct journal *journal;
	const char *run_id;
	struct kcap *kcap;      /* kernel-log capture (markers, reports), or NULL */
	struct fs_stats *st;    /* live counters, as `run` keeps them, or NULL */
	volatile bool *stop;    /* set from elsewhere (a signal): finish the step, return */
};

/* What became of a sweep. */
struct fs_exec_result {
	unsigned invocations;   /* trapped invocations of the clean run */
	unsigned swept;         /* invocations swept (max_calls bounds it) */
	unsigned steps, fired, skipped;
	unsigned fails, broks;  /* steps (and cases) judged FAIL / BROK */
	unsigned kreports;      /* kernel reports attributed to the sweep's cases */
	bool clean_failed;      /* the clean run broke: nothing was swept */
	double secs;
};

/**
 * exec_resolve() - find @cmd as execvp() would ($PATH unless it has a '/')
 * and check it is an executable regular file. Returns 0 with the path in
 * @path, -ENOENT (not found) or -EACCES (found, not executable), with a
 * message in @why.
 */
int exec_resolve(const char *cmd, char *path, size_t len, char *why, size_t wlen);

/**
 * exec_sweep() - the clean run, then every (k, N) as described above,
 * journaled through @c. The caller has applied the fault-injection knobs
 * (knobs_apply()) and is root. It forks: the calling thread becomes the
 * tracer and reaps any child of the process while it runs, so a caller
 * keeps no other children meanwhile. The SIGCHLD disposition gets
 * SA_NOCLDSTOP while it runs: a ptrace stop then sends no SIGCHLD, whose
 * allocation would be a fault point of the tracee's. SIGALRM is the
 * engine's while it runs (a 100 ms timer aimed at the calling thread, so
 * a blocked waitpid() sees timeouts and *@c->stop); both dispositions and
 * the thread's mask are restored. With @o->kcap the caller gets each
 * case's reports counted (kcap_case_done()). Returns 0 (see @r for the
 * verdicts; a clean run that broke is @r->clean_failed, journaled BROK) or
 * -errno: -EINVAL bad @o->syscalls, -ENOENT/-EACCES CMD (exec_resolve()),
 * else fork, ptrace or the --resume journal.
 */
int exec_sweep(const struct fs_exec_opts *o, const struct fs_exec_ctx *c,
	       struct fs_exec_result *r);

#endif
