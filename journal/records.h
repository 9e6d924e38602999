/*
 * One writer per journal record type. Each takes a plain struct describing
 * the record and appends it to a journal (a file or a batch) as one line,
 * cut to JOURNAL_RECORD_MAX when it must be, never dropped. The run header
 * and notes are in journal/run_journal.h. Field names and meanings:
 * docs/architecture.md, The journal. Every writer returns 0 or -errno.
 * Strings may be NULL where said; all are journaled as valid UTF-8 (a byte
 * that is none becomes U+FFFD).
 */
#ifndef FS_RECORDS_H
#define FS_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journal/journal.h"
#include "journal/verdict.h"

/* What only `faultsweep exec` knows of a step: the traced program's run. */
struct jrec_exec_step {
	unsigned invocation;            /* k: the swept call's index in the clean run */
	const char *syscall;
	const char *status;             /* "exit 2", "SIGSEGV", "timeout" */
	bool status_differs;            /* from the clean run's */
	bool has_callsite;
	const char *const *callsite;    /* where the program made the call, innermost first */
	unsigned ncallsite;
	bool crashed;
	int crash_pid;
	const char *crash_signal;
	bool has_crash_frames;
	const char *const *crash_frames;
	unsigned ncrash_frames;
	const char *output;             /* the tail of what the program wrote */
};

/* A "step" record: one (case, N). */
struct jrec_step {
	const char *run, *case_name, *area;
	unsigned nth;
	int fired;                      /* 1, 0, or -1: unknown (journaled null) */
	bool has_ret;                   /* ret, errno and errno_name are known */
	int64_t ret;
	int err;
	const char *errno_name;         /* "" when @err is 0 */
	enum fs_verdict_kind verdict;
	const struct fs_finding *findings;
	unsigned nfindings;
	bool swallowed, fd_leak;
	bool retried;
	int64_t retry_ret;
	const char *retry_errno_name;
	bool nondet;
	const char *reason;             /* BROK/CONF: why; NULL or "" for none */
	/*
	 * The kernel died during the step: the host journals it from the
	 * console (@console, the copy kept), and what the dead guest knew —
	 * swallowed, fd_leak, pid, t_ms — is not journaled.
	 */
	bool unfinished;
	const char *console;
	int pid;
	double t_ms;
	const struct jrec_exec_step *exec;  /* NULL for a harness case */
};

/* A "case" record: the verdict of a whole case. */
struct jrec_case {
	const char *run, *case_name, *area;
	enum fs_verdict_kind verdict;   /* from fs_case_verdict() */
	unsigned points, steps, kernel_reports;
	bool nondet;
	const char *reason;             /* NULL or "" for none */
	unsigned invocation;            /* exec: k, with @syscall; 0 for none */
	const char *syscall;
};

/* The kernel's own text of a report, as klog/kreport.h parsed it. */
struct jrec_ktext {
	const char *guilty;             /* "func [module]", or "" */
	const char *file;               /* the source it names, or "" (then no line) */
	int line;
	const char *bug_type;           /* or "" */
	int pid;
	const char *comm;
	uint64_t seq;
	bool complete, panicked;
	const char *raw;                /* its lines */
	const char *note;               /* appended to @raw, or NULL */
};

/* A "report" record: one kernel report (or a taint no report explained). */
struct jrec_report {
	const char *run, *case_name, *area;
	unsigned nth;
	const char *attribution;        /* "pid", "time", "comm", "case", "none" */
	const char *kind, *title;
	const struct jrec_ktext *text;  /* NULL when the kernel printed none */
	bool has_taint;
	unsigned long taint;
};

/* A "site" record: where an injected fault hit. */
struct jrec_site {
	const char *run, *case_name, *area;
	unsigned nth;
	const char *attribution;        /* "pid", "time", "patch" */
	const char *fault, *site, *module;
	const char *const *frames;
	unsigned nframes;
	const uint64_t *addrs;          /* @nframes raw addresses, or NULL when not shown */
	bool has_size;
	int64_t size;
	const char *gfp;                /* or "" */
	int pid;
	uint64_t seq;                   /* a dump's kmsg seq, 0 for none */
	bool complete;
};

/* A "module" record: a module a worker saw loaded. */
struct jrec_module {
	const char *run, *name;
	uint64_t base, text, size;
};

/* An "exec" record: the command `exec` swept and its clean run. */
struct jrec_exec {
	const char *run, *name;
	const char *const *argv;        /* NULL-terminated */
	const char *clean_status;
	double clean_ms;
	unsigned invocations, swept;
	const char *const *calls;       /* @invocations syscall names */
	unsigned ncalls;
};

/* A "modcase" record: a case made at run time for a kernel module. */
struct jrec_modcase {
	const char *run, *case_name;
	const char *kind;               /* "load" or "unload" */
	const char *ko, *module, *params, *vermagic;
	bool scoped;
};

int jrec_step(struct journal *j, const struct jrec_step *s);
int jrec_case(struct journal *j, const struct jrec_case *c);
int jrec_report(struct journal *j, const struct jrec_report *r);
int jrec_site(struct journal *j, const struct jrec_site *s);
int jrec_module(struct journal *j, const struct jrec_module *m);
/** jrec_kmsg_gap() - a "kmsg-gap" record: the kernel log overran, reports may be lost. */
int jrec_kmsg_gap(struct journal *j, const char *run);
int jrec_exec(struct journal *j, const struct jrec_exec *e);
int jrec_modcase(struct journal *j, const struct jrec_modcase *m);

#endif
