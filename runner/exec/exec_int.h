/* Internals shared by the exec engine's files: exec_sweep.c (the loop, judging) and exec_record.c (journal records). */
#ifndef FS_EXEC_INT_H
#define FS_EXEC_INT_H

#include <stdbool.h>

#include "runner/exec/exec.h"
#include "runner/exec/exec_trace.h"
#include "runner/sweep/oracle.h"

/* One judged (k, N). */
struct exec_step {
	const char *case_name, *area, *sys;
	unsigned k, nth;
	const struct exec_run_out *o;
	enum fs_verdict_kind verdict;
	char kind[32];          /* finding kind, "" for none */
	char title[320];        /* finding title: stable (no pid, no address) */
	char reason[320];       /* BROK / CONF */
	bool nondet, swallowed, status_differs;
	int out_fd;             /* CMD's output of this run (memfd) */
};

/* "SIGSEGV" for SIGSEGV. */
const char *exec_sig_str(int sig, char *buf, size_t len);

/* "exit 2" or "SIGSEGV" (a wait status as a string). */
const char *exec_status_str(int status, char *buf, size_t len);

/* Journal the step record of @s. */
void exec_rec_step(const struct fs_exec_ctx *c, const struct exec_step *s);

/* Journal the "site" record of a fired step (fail-nth-site text in @s->o->site). */
void exec_rec_site(const struct fs_exec_ctx *c, const struct exec_step *s);

/* Journal a case record (@verdict from fs_case_verdict()). */
void exec_rec_case(const struct fs_exec_ctx *c, const char *case_name, const char *area,
		   enum fs_verdict_kind verdict, unsigned k, const char *sys, unsigned points,
		   unsigned steps, unsigned kreports, bool nondet, const char *reason);

/* Journal the "exec" record: the command and the clean run's invocations. */
void exec_rec_calls(const struct fs_exec_ctx *c, const char *name, char *const *argv,
		    const struct exec_run_out *clean, unsigned swept);

#endif
