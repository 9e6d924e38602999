/* One traced run of CMD: fork, PTRACE_SEIZE, seccomp filter, exec, and the event loop that arms fail-nth at invocation k. */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "klog/marker.h"
#include "runner/exec/exec_trace.h"
#include "runner/inject/failnth.h"

#define CRASH_SIGS(s) ((s) == SIGSEGV || (s) == SIGBUS || (s) == SIGABRT || (s) == SIGFPE || \
		       (s) == SIGILL || (s) == SIGTRAP || (s) == SIGSYS)

static timer_t tick_timer;
static bool tick_armed;
static struct sigaction old_chld, old_alrm;
static sigset_t old_mask, alrm_set;
static bool mask_saved;

static void on_alarm(int sig)
{
	(void)sig;
}

int exec_trace_begin(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDSTOP };
	struct itimerspec its = { { 0, 100 * 1000 * 1000 }, { 0, 100 * 1000 * 1000 } };
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGALRM };

	/* A ptrace stop then sends the tracer no SIGCHLD: its sigqueue allocation
	 * would be a fault point of the tracee's, inside the armed window. */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, &old_chld))
		return -errno;
	sa.sa_handler = on_alarm;
	sa.sa_flags = 0;	/* no SA_RESTART: waitpid() returns EINTR */
	if (sigaction(SIGALRM, &sa, &old_alrm))
		return -errno;
	/* Blocked but while waitpid() waits: nothing else of ours sees EINTR. */
	sigemptyset(&alrm_set);
	sigaddset(&alrm_set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm_set, &old_mask);
	mask_saved = true;
	sev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &sev, &tick_timer))
		return -errno;
	tick_armed = true;
	if (timer_settime(tick_timer, 0, &its, NULL))
		return -errno;
	return 0;
}

void exec_trace_end(void)
{
	const struct timespec zero = { 0, 0 };

	if (tick_armed)
		timer_delete(tick_timer);
	tick_armed = false;
	/* A tick still pending would meet the old (default: fatal) SIGALRM action. */
	while (mask_saved && sigtimedwait(&alrm_set, NULL, &zero) == SIGALRM)
		;
	if (mask_saved)
		pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	mask_saved = false;
	sigaction(SIGCHLD, &old_chld, NULL);
	sigaction(SIGALRM, &old_alrm, NULL);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The traced threads and processes of one run. */
struct tracees {
	pid_t *t;
	size_t n, cap;
};

static bool has(const struct tracees *ts, pid_t p)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->t[i] == p)
			return true;
	return false;
}

static void add(struct tracees *ts, pid_t p)
{
	if (has(ts, p))
		return;
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 16;
		pid_t *t = realloc(ts->t, cap * sizeof(*t));

		if (!t)
			return;	/* still reaped by waitpid(-1); only not killed by name */
		ts->t = t;
		ts->cap = cap;
	}
	ts->t[ts->n++] = p;
}

static void del(struct tracees *ts, pid_t p)
{
	for (size_t i = 0; i < ts->n; i++) {
		if (ts->t[i] == p) {
			ts->t[i] = ts->t[--ts->n];
			return;
		}
	}
}

/* State of one run in the event loop. */
struct run {
	const struct exec_run_in *in;
	struct exec_run_out *out;
	struct tracees ts;
	pid_t top;
	bool started, killed, top_done;
	pid_t armed;               /* the thread armed now, 0 when none */
	int nth_fd, site_fd;
	pid_t last_stop_pid;       /* the latest crash signal's delivery stop */
	int last_stop_sig;
	struct exec_bt last_bt;
	bool last_bt_ok;
};

/* Write 0 to the armed thread's fail-nth: never leave it armed. */
static void disarm_quietly(struct run *r)
{
	if (r->nth_fd >= 0) {
		if (pwrite(r->nth_fd, "0", 1, 0) < 0) {
			/* the thread is gone, and its fail-nth with it */
		}
		close(r->nth_fd);
	}
	if (r->site_fd >= 0)
		close(r->site_fd);
	r->nth_fd = r->site_fd = -1;
	r->armed = 0;
}

static void kill_all(struct run *r)
{
	if (r->armed)
		disarm_quietly(r);
	r->killed = true;
	kill(-r->top, SIGKILL);
	for (size_t i = 0; i < r->ts.n; i++)
		kill(r->ts.t[i], SIGKILL);
}

static int syscall_info(pid_t tid, struct __ptrace_syscall_info *si)
{
	memset(si, 0, sizeof(*si));
	return ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(*si), si) > 0 ? 0 : -errno;
}

/* Arm fail-nth of thread @tid at N: the marker first, so the log says whose step follows. */
static int arm(struct run *r, pid_t tid)
{
	char path[64], m[MARKER_LINE_MAX];
	int len;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/fail-nth", tid, tid);
	r->nth_fd = open(path, O_RDWR | O_CLOEXEC);
	if (r->nth_fd < 0)
		return -errno;
	if (r->in->site) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/fail-nth-site", tid, tid);
		r->site_fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (r->in->kmsg_fd >= 0) {
		len = marker_step(m, sizeof(m), r->in->case_name, r->in->nth, tid);
		if (write(r->in->kmsg_fd, m, len) < 0) {
			/* reports are then attributed by time only */
		}
	}
	if (failnth_arm(r->nth_fd, r->in->nth)) {
		int err = -errno;

		disarm_quietly(r);
		return err;
	}
	r->armed = tid;
	return 0;
}

/* The seccomp stop of a trapped invocation. Returns the ptrace request to resume with. */
static int on_seccomp(struct run *r, pid_t tid)
{
	struct exec_run_out *o = r->out;
	struct __ptrace_syscall_info si;
	unsigned k;
	int nr;

	if (!r->started || r->armed)
		return PTRACE_CONT;
	if (syscall_info(tid, &si) || si.op != PTRACE_SYSCALL_INFO_SECCOMP)
		return PTRACE_CONT;
	nr = si.seccomp.nr;
	k = ++o->ncalls;
	if (r->in->enumerate) {
		if ((k & (k - 1)) == 0) {
			int *c = realloc(o->calls, 2 * k * sizeof(*c));

			if (c)
				o->calls = c;
		}
		if (o->calls)
			o->calls[k - 1] = nr;
	}
	if (k != r->in->target)
		return PTRACE_CONT;
	o->reached = true;
	o->seen_nr = nr;
	if (nr != r->in->expect_nr) {
		o->mismatch = true;
		return PTRACE_CONT;
	}
	o->tid = tid;
	o->has_callsite = exec_unwind(tid, &o->callsite) == 0;
	o->arm_err = arm(r, tid);
	return o->arm_err ? PTRACE_CONT : PTRACE_SYSCALL;
}

/* The syscall-exit stop of the armed thread: read fail-nth back, write 0. */
static void on_exit_stop(struct run *r, pid_t tid)
{
	struct exec_run_out *o = r->out;
	struct __ptrace_syscall_info si;

	if (!syscall_info(tid, &si) && si.op == PTRACE_SYSCALL_INFO_EXIT) {
		o->has_ret = true;
		o->ret = si.exit.rval;
	}
	o->fired = failnth_disarm_site(r->nth_fd, &o->remaining, r->site_fd, o->site,
				       sizeof(o->site));
	disarm_quietly(r);
}

/* A fatal signal is about to be delivered: take the stack while the process still exists. */
static void on_signal(struct run *r, pid_t tid, int sig)
{
	if (!CRASH_SIGS(sig) || r->last_stop_pid == tid)
		return;
	r->last_stop_pid = tid;
	r->last_stop_sig = sig;
	r->last_bt_ok = exec_unwind(tid, &r->last_bt) == 0;
}

static void on_death(struct run *r, pid_t pid, int status)
{
	struct exec_run_out *o = r->out;

	/*
	 * Not ours: waitpid(-1) also reaps what a caller's earlier children
	 * left to this process (a subreaper, as `run` is): their deaths say
	 * nothing about CMD.
	 */
	if (pid != r->top && !has(&r->ts, pid))
		return;
	if (pid == r->armed) {
		/* Died inside the armed syscall: whether it fired is unknown. */
		o->fired = -1;
		disarm_quietly(r);
	}
	del(&r->ts, pid);
	if (WIFSIGNALED(status) && !o->crashed && !(r->killed && WTERMSIG(status) == SIGKILL)) {
		o->crashed = true;
		o->crash_pid = pid;
		o->crash_sig = WTERMSIG(status);
		if (r->last_bt_ok && r->last_stop_sig == o->crash_sig) {
			o->has_crash_bt = true;
			o->crash_bt = r->last_bt;
		}
	}
	if (pid == r->top) {
		o->status = status;
		r->top_done = true;
		/* exec sweeps a command, not what it leaves running. */
		if (r->ts.n)
			kill_all(r);
	}
}

/* Handle one wait status of a traced thread. */
static void on_status(struct run *r, pid_t pid, int st)
{
	int sig, event, req = PTRACE_CONT, inject = 0;
	unsigned long msg;

	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		on_death(r, pid, st);
		return;
	}
	if (!WIFSTOPPED(st))
		return;
	add(&r->ts, pid);
	sig = WSTOPSIG(st);
	event = (unsigned)st >> 16;
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		req = on_seccomp(r, pid);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		if (!ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg))
			add(&r->ts, msg);
		break;
	case PTRACE_EVENT_EXEC:
		r->started = true;
		break;
	case PTRACE_EVENT_STOP:
		/* A new child's first stop, or a group stop: CMD keeps running. */
		break;
	case 0:
		if (sig == (SIGTRAP | 0x80)) {
			if (pid == r->armed)
				on_exit_stop(r, pid);
		} else {
			on_signal(r, pid, sig);
			inject = sig;
		}
		break;
	default:
		break;
	}
	/* The armed thread runs on to its exit stop whatever stopped it meanwhile. */
	if (pid == r->armed)
		req = PTRACE_SYSCALL;
	ptrace(req, pid, 0, inject);
}

/* The child: own process group, stdio, wait to be seized, filter, exec. Only syscalls. */
static void child(const struct exec_run_in *in, int sync_fd)
{
	struct sock_fprog prog = { .len = in->nbpf, .filter = (struct sock_filter *)in->bpf };
	char c;

	setpgid(0, 0);
	/* The same addresses in every run: steadier programs, and cached symbols. */
	personality(ADDR_NO_RANDOMIZE);
	dup2(in->null_fd, 0);
	dup2(in->out_fd, 1);
	dup2(in->out_fd, 2);
	if (read(sync_fd, &c, 1) != 1)
		_exit(126);
	/* Root needs no no_new_privs, and without it set-uid programs keep their meaning. */
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
			_exit(126);
	}
	execv(in->path, in->argv);
	_exit(errno == ENOENT ? 127 : 126);
}

int exec_run(const struct exec_run_in *in, struct exec_run_out *out)
{
	const long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
			  PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD |
			  PTRACE_O_EXITKILL;
	struct run r = { .in = in, .out = out, .nth_fd = -1, .site_fd = -1 };
	double t0 = now_ms(), deadline;
	int sync[2], err = 0, st;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	if (pipe2(sync, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(sync[0]);
		close(sync[1]);
		return err;
	}
	if (pid == 0)
		child(in, sync[0]);
	close(sync[0]);
	r.top = pid;
	add(&r.ts, pid);
	/* Also here: a kill(-top) before the child's own setpgid() must reach it. */
	setpgid(pid, pid);
	if (ptrace(PTRACE_SEIZE, pid, 0, opts)) {
		err = -errno;
		kill(pid, SIGKILL);
		close(sync[1]);
		waitpid(pid, NULL, 0);
		free(r.ts.t);
		return err;
	}
	if (write(sync[1], "g", 1) != 1)
		kill(pid, SIGKILL);
	close(sync[1]);
	deadline = t0 + (in->timeout_s ? in->timeout_s : 30) * 1000.0;
	while (r.ts.n || !r.top_done) {
		pid_t w;

		/* A tick pending from before is taken at the unblock: at worst 100 ms late. */
		pthread_sigmask(SIG_UNBLOCK, &alrm_set, NULL);
		w = waitpid(-1, &st, __WALL);
		pthread_sigmask(SIG_BLOCK, &alrm_set, NULL);

		if (w < 0) {
			if (errno == ECHILD)
				break;
			if (errno != EINTR)
				break;
			if (!r.killed && now_ms() > deadline) {
				out->timed_out = true;
				kill_all(&r);
			} else if (!r.killed && in->stop && *in->stop) {
				out->stopped = true;
				kill_all(&r);
			}
			continue;
		}
		on_status(&r, w, st);
	}
	if (r.armed)
		disarm_quietly(&r);
	if (r.last_stop_pid && out->crashed && !out->has_crash_bt && r.last_bt_ok) {
		out->has_crash_bt = true;
		out->crash_bt = r.last_bt;
	}
	if (in->kmsg_fd >= 0 && out->tid) {
		/* Ends any report the faulted thread printed: the next run has other pids. */
		char m[MARKER_LINE_MAX];
		int len = marker_done(m, sizeof(m), in->case_name, (int)out->tid);

		if (write(in->kmsg_fd, m, len) < 0) {
			/* attribution by time only */
		}
	}
	out->t_ms = now_ms() - t0;
	free(r.ts.t);
	return err;
}
