/* The exec engine's sweep: the clean run, then every (invocation k, N) judged and journaled. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner/exec/exec_int.h"
#include "runner/exec/exec_resume.h"
#include "runner/exec/exec_sys.h"
#include "runner/capture/kcap.h"

/* A run whose invocation k is another syscall is repeated this often before k is skipped. */
#define MISMATCH_TRIES 3

static int check_file(const char *path, char *why, size_t wlen, const char *cmd)
{
	struct stat st;

	if (stat(path, &st)) {
		snprintf(why, wlen, "%s: %s", cmd, strerror(errno));
		return errno == ENOENT || errno == ENOTDIR ? -ENOENT : -EACCES;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK)) {
		snprintf(why, wlen, "%s: %s", path, S_ISDIR(st.st_mode) ? "is a directory" :
			 "is not an executable file");
		return -EACCES;
	}
	return 0;
}

int exec_resolve(const char *cmd, char *path, size_t len, char *why, size_t wlen)
{
	const char *p = getenv("PATH");
	char dir[PATH_MAX];
	int err = -ENOENT;

	if (!cmd || !*cmd) {
		snprintf(why, wlen, "empty command");
		return -ENOENT;
	}
	if (strchr(cmd, '/')) {
		snprintf(path, len, "%s", cmd);
		return check_file(path, why, wlen, cmd);
	}
	for (p = p && *p ? p : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; ;) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		struct stat st;

		snprintf(dir, sizeof(dir), "%.*s", (int)n, n ? p : ".");
		snprintf(path, len, "%s/%s", dir, cmd);
		if (stat(path, &st) == 0) {
			err = check_file(path, why, wlen, cmd);
			if (!err)
				return 0;
		}
		if (!end)
			break;
		p = end + 1;
	}
	if (err == -ENOENT)
		snprintf(why, wlen, "%s: command not found in $PATH", cmd);
	return err;
}

/*
 * A setup or cleanup command. Without shell syntax it is exec'd directly:
 * each run pays for it, and /bin/sh is one more exec over 9p (~0.1 s
 * under TCG).
 */
struct helper {
	const char *cmd;        /* NULL: none */
	bool direct;
	char path[PATH_MAX];
	char *argv[32];
	char *buf;
};

static void helper_init(struct helper *h, const char *cmd)
{
	char why[256], *save = NULL, *w;
	int n = 0;

	memset(h, 0, sizeof(*h));
	h->cmd = cmd;
	if (!cmd || strpbrk(cmd, "|&;<>()$`\\\"'*?[]#~=%{}\n") || !(h->buf = strdup(cmd)))
		return;
	for (w = strtok_r(h->buf, " \t", &save); w && n < 31; w = strtok_r(NULL, " \t", &save))
		h->argv[n++] = w;
	h->direct = n > 0 && !w && exec_resolve(h->argv[0], h->path, sizeof(h->path), why,
						 sizeof(why)) == 0;
}

/* Run @h with no input or output; its exit status, or -errno. */
static int helper_run(const struct helper *h, int null_fd)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(null_fd, 0);
		dup2(null_fd, 1);
		dup2(null_fd, 2);
		if (h->direct)
			execv(h->path, h->argv);
		else
			execl("/bin/sh", "sh", "-c", h->cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* What every run of one sweep shares. */
struct sweep {
	const struct fs_exec_opts *o;
	const struct fs_exec_ctx *c;
	struct fs_exec_result *r;
	struct exec_run_in in;
	char path[PATH_MAX], name[64], case_name[160];
	const char *area;
	int clean_status;
	struct helper setup, cleanup;
	struct exec_resume resume;
};

/* One run of CMD: setup, the traced run, cleanup. -errno when it could not run. */
static int one_run(struct sweep *w, unsigned k, unsigned nth, int nr, struct exec_run_out *out,
		   char *why, size_t wlen)
{
	int err;

	*why = 0;
	ftruncate(w->in.out_fd, 0);
	lseek(w->in.out_fd, 0, SEEK_SET);
	if (w->setup.cmd && (err = helper_run(&w->setup, w->in.null_fd))) {
		memset(out, 0, sizeof(*out));
		snprintf(why, wlen, "setup '%s' exited %d without a fault", w->o->setup, err);
		return -EIO;
	}
	w->in.target = k;
	w->in.nth = nth;
	w->in.expect_nr = nr;
	err = exec_run(&w->in, out);
	if (w->cleanup.cmd)
		helper_run(&w->cleanup, w->in.null_fd);
	if (err)
		snprintf(why, wlen, "cannot trace %.200s: %s", w->path, strerror(-err));
	return err;
}

/* The live counters `run` keeps too (progress, summary). */
static void count(const struct fs_exec_ctx *c, const struct exec_step *s)
{
	stats_step(c->st, s->case_name, s->nth, s->o->fired > 0, s->swallowed,
		   fs_verdict_name(s->verdict));
	if (s->verdict == FS_FAIL && *s->kind)
		stats_kind(c->st, s->kind);
}

/*
 * The verdict of one armed run: the faulted call through the oracles, as a
 * worker's step (any errno is the program's to handle; a fired fault that
 * the call survived is swallowed), then what only a traced program shows:
 * an interruption, a timeout, a crash. A differing exit status is recorded,
 * never a finding.
 */
static void judge(struct sweep *w, struct exec_step *s)
{
	const struct exec_run_out *o = s->o;
	/* fired < 0 (unknown: the thread died armed) is no read failure here, only no fault. */
	struct oracle_step in = { .fired = o->fired > 0, .has_ret = o->has_ret, .ret = o->ret,
				  .err = exec_run_errno(o) };
	struct oracle_case oc = { .name = s->case_name, .any_result = true };
	struct fs_verdict v;
	char sig[16];

	oracle_judge(&oc, &in, &v);
	s->verdict = v.kind;
	s->swallowed = v.swallowed;
	if (v.nfind) {
		snprintf(s->kind, sizeof(s->kind), "%s", v.find[0].kind);
		snprintf(s->title, sizeof(s->title), "%s", v.find[0].title);
	}
	snprintf(s->reason, sizeof(s->reason), "%s", v.reason);
	s->status_differs = o->timed_out || o->status != w->clean_status;
	if (o->stopped) {
		s->verdict = FS_BROK;
		snprintf(s->reason, sizeof(s->reason), "interrupted");
	} else if (o->timed_out) {
		if (o->fired) {
			s->verdict = FS_FAIL;
			snprintf(s->kind, sizeof(s->kind), "hang");
			snprintf(s->title, sizeof(s->title), "hang: %s.%s did not finish after a "
				 "fault in %s", w->area, w->name, s->sys);
		} else {
			s->verdict = FS_BROK;
			snprintf(s->reason, sizeof(s->reason), "timed out without a fault");
		}
	} else if (o->crashed) {
		exec_sig_str(o->crash_sig, sig, sizeof(sig));
		if (o->fired && o->has_crash_bt) {
			s->verdict = FS_FAIL;
			snprintf(s->kind, sizeof(s->kind), "user-crash");
			snprintf(s->title, sizeof(s->title), "user-crash: %s in %s", sig,
				 *o->crash_bt.where ? o->crash_bt.where : w->name);
		} else if (o->fired) {
			/*
			 * Dead by a signal that was never delivered in user space: the
			 * kernel killed it (an Oops in the faulted call does). Not the
			 * program's bug; the kernel report says what happened.
			 */
			s->verdict = FS_FAIL;
			snprintf(s->kind, sizeof(s->kind), "task-killed");
			snprintf(s->title, sizeof(s->title), "task-killed: %s.%s died by %s with no "
				 "user-space fault, after a fault in %s", w->area, w->name, sig, s->sys);
		} else {
			s->verdict = FS_BROK;
			snprintf(s->reason, sizeof(s->reason), "%s without a fault", sig);
		}
	}
}

/* Sweep invocation @k (syscall @nr): N = 1, 2, ... until a fault does not fire (twice). */
static void sweep_one(struct sweep *w, unsigned k, int nr)
{
	struct exec_run_out *o = calloc(2, sizeof(*o));
	unsigned points = 0, steps = 0, fails = 0, broks = 0, kreports = 0, n, t;
	enum fs_verdict_kind verdict;
	char sys[64], why[320] = "", end[320] = "";
	bool nondet = false, skipped = false, done = false;

	if (!o)
		return;
	exec_sys_name(nr, sys, sizeof(sys));
	snprintf(w->case_name, sizeof(w->case_name), "%s.%s.%u.%s", w->area, w->name, k, sys);
	w->in.case_name = w->case_name;
	n = exec_resume_from(&w->resume, w->case_name);
	if (!n) {
		free(o);
		return;	/* finished before the kernel died */
	}
	if (exec_resume_case(&w->resume, w->case_name)) {
		/* The case's verdict and counts span every VM it ran in. */
		steps = exec_resume_case(&w->resume, w->case_name)->steps;
		fails = exec_resume_case(&w->resume, w->case_name)->fails;
	}
	for (; !done; n++) {
		struct exec_step s = { .case_name = w->case_name, .area = w->area, .sys = sys,
				       .k = k, .nth = n, .o = &o[0], .out_fd = w->in.out_fd };

		if (w->c->stop && *w->c->stop) {
			snprintf(end, sizeof(end), "interrupted");
			break;
		}
		if (w->o->max_nth && n > w->o->max_nth) {
			snprintf(end, sizeof(end), "stopped at --max-nth %u", w->o->max_nth);
			break;
		}
		for (t = 0; t < MISMATCH_TRIES; t++) {
			free(o[0].calls);
			if (one_run(w, k, n, nr, &o[0], why, sizeof(why)))
				break;
			if (o[0].reached && !o[0].mismatch)
				break;
		}
		if (!*why && o[0].arm_err)
			snprintf(why, sizeof(why), "cannot arm fail-nth of thread %d: %s", o[0].tid,
				 strerror(-o[0].arm_err));
		if (*why) {
			s.verdict = FS_BROK;
			snprintf(s.reason, sizeof(s.reason), "%s", why);
			done = true;
		} else if (!o[0].reached || o[0].mismatch) {
			char seen[64];

			/* Nondeterministic: never blame N on a call it did not arm. */
			s.verdict = FS_CONF;
			s.nondet = nondet = skipped = true;
			if (o[0].reached)
				snprintf(s.reason, sizeof(s.reason), "skipped (nondeterministic): "
					 "invocation %u was %s, not %s, in %d runs", k,
					 exec_sys_name(o[0].seen_nr, seen, sizeof(seen)), sys,
					 MISMATCH_TRIES);
			else
				snprintf(s.reason, sizeof(s.reason), "skipped (nondeterministic): "
					 "only %u invocations, in %d runs", o[0].ncalls, MISMATCH_TRIES);
			done = true;
		} else {
			if (o[0].fired == 0 && !o[0].crashed && !o[0].timed_out) {
				/* The end of the sweep: confirm it once before believing it. */
				if (one_run(w, k, n, nr, &o[1], why, sizeof(why)) == 0 &&
				    o[1].reached && !o[1].mismatch && o[1].fired != 0) {
					free(o[0].calls);
					o[0] = o[1];
					o[1].calls = NULL;
					s.nondet = nondet = true;
				} else {
					points = n - 1;
					done = true;
				}
				free(o[1].calls);
				o[1].calls = NULL;
			}
			judge(w, &s);
		}
		if (s.verdict == FS_FAIL)
			fails++;
		if (s.verdict == FS_BROK)
			broks++;
		steps++;
		exec_rec_step(w->c, &s);
		if (w->o->sites && o[0].fired > 0)
			exec_rec_site(w->c, &s);
		count(w->c, &s);
		w->r->steps++;
		w->r->fired += o[0].fired > 0;
		w->r->skipped += s.verdict == FS_CONF;
		if (o[0].stopped)
			break;
	}
	free(o[0].calls);
	free(o);
	if (w->c->kcap)
		kreports = kcap_case_done(w->c->kcap, w->case_name);
	verdict = fs_case_verdict(&(struct fs_case_tally){
		.fails = fails, .kreports = kreports, .broks = broks, .conf = skipped });
	if (!*end && skipped)
		snprintf(end, sizeof(end), "skipped (nondeterministic)");
	if (!done && !*end)
		snprintf(end, sizeof(end), "unfinished");
	exec_rec_case(w->c, w->case_name, w->area, verdict, k, sys, points, steps, kreports, nondet,
		      end);
	w->r->fails += verdict == FS_FAIL;
	w->r->broks += verdict == FS_BROK;
	w->r->kreports += kreports;
	stats_case_done(w->c->st);
	if (!w->o->quiet)
		fprintf(stderr, "faultsweep exec: %s: %s, %u fault points, %u steps%s%s\n",
			w->case_name, fs_verdict_name(verdict), points, steps, *end ? "; " : "", end);
}

/* The case name part: basename of argv[0], or the caller's, with only [A-Za-z0-9_-]. */
static void make_name(const struct fs_exec_opts *o, char *buf, size_t len)
{
	const char *src = o->name ? o->name : o->argv[0];
	const char *base = o->name ? NULL : strrchr(src, '/');
	size_t i;

	snprintf(buf, len, "%s", base ? base + 1 : src);
	for (i = 0; buf[i]; i++)
		if (!(buf[i] == '-' || buf[i] == '_' || (buf[i] >= '0' && buf[i] <= '9') ||
		      (buf[i] >= 'a' && buf[i] <= 'z') || (buf[i] >= 'A' && buf[i] <= 'Z')))
			buf[i] = '_';
}

/* The clean run broke: one BROK step (nth 0) with CMD's output, and its case. */
static void clean_broke(struct sweep *w, struct exec_run_out *o, const char *why)
{
	struct exec_step s = { .area = w->area, .sys = "", .o = o, .verdict = FS_BROK,
			       .out_fd = w->in.out_fd };

	snprintf(w->case_name, sizeof(w->case_name), "%s.%s", w->area, w->name);
	s.case_name = w->case_name;
	snprintf(s.reason, sizeof(s.reason), "the clean run broke without a fault: %s", why);
	o->reached = true;
	exec_rec_step(w->c, &s);
	count(w->c, &s);
	exec_rec_case(w->c, w->case_name, w->area,
		      fs_case_verdict(&(struct fs_case_tally){ .broks = 1 }), 0, "", 0, 1, 0, false,
		      s.reason);
	w->r->clean_failed = true;
	w->r->broks++;
	if (!w->o->quiet) {
		char buf[4096];
		ssize_t n = pread(w->in.out_fd, buf, sizeof(buf) - 1, 0);

		fprintf(stderr, "faultsweep exec: %s\n", s.reason);
		if (n > 0) {
			buf[n] = 0;
			fprintf(stderr, "faultsweep exec: its output:\n%s%s", buf,
				buf[n - 1] == '\n' ? "" : "\n");
		}
	}
}

int exec_sweep(const struct fs_exec_opts *o, const struct fs_exec_ctx *c,
	       struct fs_exec_result *r)
{
	struct sweep *w = calloc(1, sizeof(*w));
	struct exec_run_out *clean = calloc(1, sizeof(*clean));
	struct exec_sysset set;
	struct timespec t0, t1;
	void *bpf = NULL;
	char why[512], st[32], exp[32];
	unsigned k, K;
	int err;

	memset(r, 0, sizeof(*r));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!w || !clean) {
		err = -ENOMEM;
		goto out;
	}
	w->o = o;
	w->c = c;
	w->r = r;
	w->area = o->area ? o->area : "exec";
	w->in.out_fd = w->in.null_fd = w->in.kmsg_fd = -1;
	err = exec_sys_parse(o->syscalls, &set, why, sizeof(why));
	if (err) {
		fprintf(stderr, "faultsweep exec: --syscalls: %s\n", why);
		goto out;
	}
	err = exec_resolve(o->argv[0], w->path, sizeof(w->path), why, sizeof(why));
	if (err) {
		fprintf(stderr, "faultsweep exec: %s\n", why);
		goto out;
	}
	err = exec_sys_filter(&set, &bpf, &w->in.nbpf);
	if (err) {
		fprintf(stderr, "faultsweep exec: cannot build the seccomp filter: %s\n",
			strerror(-err));
		goto out;
	}
	make_name(o, w->name, sizeof(w->name));
	if (o->resume && (err = exec_resume_load(o->resume, &w->resume))) {
		fprintf(stderr, "faultsweep exec: --resume: %s: %s\n", o->resume, strerror(-err));
		goto out;
	}
	helper_init(&w->setup, o->setup);
	helper_init(&w->cleanup, o->cleanup);
	w->in.path = w->path;
	w->in.argv = o->argv;
	w->in.bpf = bpf;
	w->in.timeout_s = o->timeout_s ? o->timeout_s : 30;
	w->in.site = o->sites;
	w->in.stop = c->stop;
	w->in.out_fd = memfd_create("faultsweep-exec-out", MFD_CLOEXEC);
	w->in.null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	w->in.kmsg_fd = c->kcap ? open("/dev/kmsg", O_WRONLY | O_CLOEXEC) : -1;
	if (w->in.out_fd < 0 || w->in.null_fd < 0) {
		err = -errno;
		goto out;
	}
	err = exec_trace_begin();
	if (err)
		goto out_trace;
	/* Whatever an earlier run left behind (the interface it created) goes first. */
	if (w->cleanup.cmd)
		helper_run(&w->cleanup, w->in.null_fd);

	w->in.enumerate = true;
	snprintf(w->case_name, sizeof(w->case_name), "%s.%s", w->area, w->name);
	w->in.case_name = w->case_name;
	err = one_run(w, 0, 0, -1, clean, why, sizeof(why));
	w->in.enumerate = false;
	if (err == -EIO) {
		clean_broke(w, clean, why);
		err = 0;
		goto out_trace;
	}
	if (err) {
		fprintf(stderr, "faultsweep exec: %s\n", why);
		goto out_trace;
	}
	w->clean_status = clean->status;
	r->invocations = clean->ncalls;
	K = o->max_calls && o->max_calls < clean->ncalls ? o->max_calls : clean->ncalls;
	if (!clean->calls)
		K = 0;
	if (clean->timed_out || clean->crashed || clean->stopped ||
	    !WIFEXITED(clean->status) || WEXITSTATUS(clean->status) != o->expect_exit) {
		snprintf(exp, sizeof(exp), "exit %d", o->expect_exit);
		snprintf(why, sizeof(why), "%s (expected %s)", clean->timed_out ? "timeout" :
			 clean->stopped ? "interrupted" : exec_status_str(clean->status, st, sizeof(st)),
			 exp);
		exec_rec_calls(c, w->name, o->argv, clean, 0);
		clean_broke(w, clean, why);
		goto out_trace;
	}
	r->swept = K;
	exec_rec_calls(c, w->name, o->argv, clean, K);
	stats_cases(c->st, K);
	if (!o->quiet)
		fprintf(stderr, "faultsweep exec: clean run: %s, %u trapped invocations in %.0f ms; "
			"sweeping %u\n", exec_status_str(clean->status, st, sizeof(st)),
			clean->ncalls, clean->t_ms, K);
	for (k = 1; k <= K && !(c->stop && *c->stop); k++)
		sweep_one(w, k, clean->calls[k - 1]);
out_trace:
	exec_trace_end();
	exec_unwind_reset();
out:
	if (w) {
		if (w->in.out_fd >= 0)
			close(w->in.out_fd);
		if (w->in.null_fd >= 0)
			close(w->in.null_fd);
		if (w->in.kmsg_fd >= 0)
			close(w->in.kmsg_fd);
		free(w->setup.buf);
		free(w->cleanup.buf);
		exec_resume_free(&w->resume);
	}
	if (clean)
		free(clean->calls);
	free(clean);
	free(w);
	free(bpf);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	return err;
}
