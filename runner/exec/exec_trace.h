/*
 * One traced run of CMD for the exec engine: fork, seize, seccomp filter,
 * exec, and the ptrace event loop that counts trapped invocations, arms
 * fail-nth at one of them and captures crashes.
 */
#ifndef FS_EXEC_TRACE_H
#define FS_EXEC_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "runner/exec/exec_unwind.h"

struct exec_run_in {
	const char *path;          /* resolved CMD */
	char *const *argv;
	const void *bpf;           /* the seccomp filter (exec_sys_filter()) */
	unsigned short nbpf;
	int out_fd;                /* CMD's stdout and stderr */
	int null_fd;               /* its stdin */
	unsigned target;           /* invocation to arm (1-based); 0: a clean run */
	unsigned nth;              /* N */
	int expect_nr;             /* the syscall the enumeration saw at @target */
	unsigned timeout_s;
	bool enumerate;            /* record every invocation's syscall */
	bool site;                 /* read fail-nth-site when the fault fired */
	int kmsg_fd;               /* for the step marker, or -1 */
	const char *case_name;     /* in the marker */
	volatile bool *stop;
};

struct exec_run_out {
	int status;                /* CMD's wait status */
	bool timed_out, stopped;   /* we killed it: --timeout, or *stop */
	double t_ms;
	/* enumerate: the syscall number of every invocation, in order */
	int *calls;
	unsigned ncalls;
	/* the target invocation */
	bool reached, mismatch;    /* seen at all; a different syscall than expect_nr */
	int seen_nr;
	int arm_err;               /* -errno when fail-nth could not be armed (nothing ran armed) */
	int fired;                 /* 1 fired, 0 did not, -1 unknown (the thread died armed) */
	unsigned remaining;
	bool has_ret;
	int64_t ret;               /* the faulted syscall's return (-errno on error) */
	pid_t tid;                 /* the thread that made it */
	struct exec_bt callsite;   /* where in CMD it was made */
	bool has_callsite;
	char site[1024];           /* fail-nth-site text when read */
	/* the first traced process that died by a signal we did not send */
	bool crashed;
	pid_t crash_pid;
	int crash_sig;
	bool has_crash_bt;
	struct exec_bt crash_bt;   /* from its signal-delivery stop */
};

/* The errno of the faulted syscall's return (-errno), 0 when it succeeded or is unknown. */
static inline int exec_run_errno(const struct exec_run_out *o)
{
	return o->has_ret && o->ret < 0 && o->ret > -4096 ? (int)-o->ret : 0;
}

/**
 * exec_trace_begin() - set up the calling thread as a tracer: SA_NOCLDSTOP
 * on SIGCHLD, a no-op SIGALRM handler and a 100 ms timer aimed at this
 * thread, whose interruptions let a blocked waitpid() see timeouts and
 * *stop. SIGALRM stays blocked in this thread except while waitpid()
 * waits, so no other system call of ours sees EINTR. 0 or -errno.
 * exec_trace_end() undoes it.
 */
int exec_trace_begin(void);
void exec_trace_end(void);

/**
 * exec_run() - one run of CMD as @in says, until every traced process has
 * exited (when CMD itself exits, what it left behind is killed). 0 or
 * -errno (fork, ptrace); CMD's own failures are in @out. Frees nothing the
 * caller gave; @out->calls is malloc'd.
 */
int exec_run(const struct exec_run_in *in, struct exec_run_out *out);

#endif
