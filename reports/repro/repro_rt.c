/*
 * The runtime of a standalone reproducer (faultsweep report writes
 * OUT/repro/<case>-n<N>.c): fs_broken()/fs_conf() for one program instead
 * of the worker (fs_path() and the knob save/restore come from
 * harness/harness_lib.c and harness/knob_io.h, pasted before this file), the debugfs knobs of the run and
 * their restoration, fail-nth, and one step exactly as runner/sweep/worker.c
 * runs it. Never compiled into faultsweep: its text is embedded (see
 * reports/repro/embed.cmake) and pasted after harness/harness.h, before the
 * harness file. Exit codes: 0 fault fired and handled, 1 bug reproduced by
 * a userspace oracle, 125 cannot tell.
 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPRO_OK     0
#define REPRO_BUG    1
#define REPRO_UNSURE 125

#define REPRO_DBG FS_KNOB_DBG
#define REPRO_MAX_KNOBS 24

/* fs_knob_set()/fs_knob_restore(): harness/knob_io.h, pasted before this file. */
static struct fs_knob repro_saved[REPRO_MAX_KNOBS];
static volatile sig_atomic_t repro_nsaved;
static volatile sig_atomic_t repro_mounted_debugfs;
static int repro_nth_fd = -1;

/* Where a SAFE() failure in setup/call/teardown jumps back to. */
static sigjmp_buf repro_jmp;
static bool repro_in_step;
static char repro_why[256];
static int repro_why_conf;

/* Leave fail-nth at 0 (async-signal-safe): a reproducer never leaves it armed. */
static void repro_zero_nth(void)
{
	if (repro_nth_fd >= 0 && pwrite(repro_nth_fd, "0", 1, 0) != 1) {
		/* the write's own usercopy may consume the last point: once more */
		if (pwrite(repro_nth_fd, "0", 1, 0) != 1) {
			/* nothing more can be done */
		}
	}
}

void fs_broken(const char *file, int line, int err, const char *fmt, ...)
{
	const char *base = strrchr(file, '/');
	char what[120];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(repro_why, sizeof(repro_why), "%s:%d: %s: %s", base ? base + 1 : file, line,
		 what, strerror(err));
	repro_why_conf = 0;
	repro_zero_nth();
	if (repro_in_step)
		siglongjmp(repro_jmp, 1);
	printf("repro: 125 cannot tell: %s\n", repro_why);
	exit(REPRO_UNSURE);
}

void fs_conf(const char *file, int line, const char *why)
{
	const char *base = strrchr(file, '/');

	snprintf(repro_why, sizeof(repro_why), "%s (%s:%d)", why, base ? base + 1 : file, line);
	repro_why_conf = 1;
	repro_zero_nth();
	if (repro_in_step)
		siglongjmp(repro_jmp, 1);
	printf("repro: 125 cannot tell: not supported here: %s\n", repro_why);
	exit(REPRO_UNSURE);
}

/* Async-signal-safe: puts back every knob in reverse order, disarms fail-nth. */
static void repro_restore(void)
{
	repro_zero_nth();
	fs_knob_restore(repro_saved, &repro_nsaved);
	if (repro_mounted_debugfs) {
		repro_mounted_debugfs = 0;
		umount2(REPRO_DBG, MNT_DETACH);
	}
}

static void repro_on_signal(int sig)
{
	repro_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int repro_set_knob(const char *dir, const char *name, const char *val)
{
	return fs_knob_set(repro_saved, &repro_nsaved, REPRO_MAX_KNOBS, dir, name, val);
}

/*
 * The knobs of runner/inject/knobs.c for the fault types in @faults ("slab,page"):
 * GFP_KERNEL allocations visible (ignore-gfp-wait=N), every page order, and
 * an empty stacktrace require-range for the types the run left out, so they
 * neither fire nor count and N means what it meant in the sweep.
 */
static int repro_knobs(const char *faults, char *why, size_t len)
{
	static const char *const types[][2] = {
		{ "slab", "failslab" }, { "page", "fail_page_alloc" },
		{ "usercopy", "fail_usercopy" }, { "futex", "fail_futex" },
	};
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGABRT };
	char list[80], d[64];
	size_t i;
	int err = 0;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], repro_on_signal);
	atexit(repro_restore);
	if (access(REPRO_DBG "failslab", F_OK)) {
		if (mount("debugfs", REPRO_DBG, "debugfs", 0, NULL) == 0)
			repro_mounted_debugfs = 1;
	}
	snprintf(list, sizeof(list), ",%s,", faults);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		char tok[16];

		snprintf(tok, sizeof(tok), ",%s,", types[i][0]);
		snprintf(d, sizeof(d), REPRO_DBG "%s", types[i][1]);
		if (access(d, F_OK)) {
			if (strstr(list, tok)) {
				snprintf(why, len, "%s missing: this kernel cannot inject %s faults",
					 d, types[i][0]);
				return -ENOENT;
			}
			continue;
		}
		if (i < 2)
			err = err ?: repro_set_knob(types[i][1], "ignore-gfp-wait", "N");
		if (i == 1) {
			err = err ?: repro_set_knob(types[i][1], "ignore-gfp-highmem", "N");
			err = err ?: repro_set_knob(types[i][1], "min-order", "0");
		}
		/* verbose=2: the log shows the stack of the allocation that failed. */
		err = err ?: repro_set_knob(types[i][1], "verbose", "2");
		if (!strstr(list, tok))
			err = err ?: repro_set_knob(types[i][1], "require-end", "0");
		if (err) {
			snprintf(why, len, "cannot set the knobs in %s: %s", d, strerror(-err));
			return err;
		}
	}
	return 0;
}

/* Read fail-nth back (1 = fired, 0 = not, -1 = unreadable), then write 0. */
static int repro_disarm(unsigned *remaining)
{
	char buf[16];
	ssize_t n = pread(repro_nth_fd, buf, sizeof(buf) - 1, 0);
	int fired;

	*remaining = 0;
	if (n > 0) {
		buf[n] = 0;
		*remaining = strtoul(buf, NULL, 10);
		fired = *remaining == 0;
	} else if (n < 0 && errno == EFAULT) {
		/* usercopy faults: the read's own copy was the last armed point */
		*remaining = 1;
		fired = 0;
	} else {
		fired = -1;
	}
	repro_zero_nth();
	return fired;
}

struct repro_step {
	int abandoned;       /* 1: setup/call/teardown gave up (repro_why says why) */
	long ret;
	int err;
	int fired;           /* 1 fired, 0 not, -1 fail-nth unreadable */
	unsigned remaining;
	bool fd_leak, retried;
	long retry_ret;
	int retry_err;
};

static struct fs_ctx repro_ctx;
static char repro_dir[128];
static int repro_fd_base;

static int repro_lowest_free(void)
{
	int fd = fcntl(repro_nth_fd, F_DUPFD_CLOEXEC, repro_fd_base);

	if (fd >= 0)
		close(fd);
	return fd;
}

static void repro_rm_tree(const char *dir)
{
	char p[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (unlink(p) && (errno == EISDIR || errno == EPERM)) {
			repro_rm_tree(p);
			rmdir(p);
		}
	}
	closedir(d);
}

static void repro_cleanup(const struct fs_harness *h, bool teardown)
{
	if (teardown && h->teardown)
		h->teardown(&repro_ctx);
	close_range(repro_fd_base, ~0u, 0);
	if (repro_ctx.pid > 0) {
		kill(repro_ctx.pid, SIGKILL);
		waitpid(repro_ctx.pid, NULL, 0);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	repro_rm_tree(repro_dir);
	mkdir(repro_dir, 0700);
}

/* One step as runner/sweep/worker.c run_step(): @nth 0 is the fault-free step. */
static void repro_run_step(const struct fs_harness *h, unsigned nth, bool retry,
			   struct repro_step *r)
{
	struct fs_ctx *c = &repro_ctx;
	volatile bool in_teardown = false;
	int i, l0;

	memset(r, 0, sizeof(*r));
	memset(c, 0, sizeof(*c));
	for (i = 0; i < FS_CTX_FDS; i++)
		c->fd[i] = -1;
	snprintf(c->dir, sizeof(c->dir), "%s", repro_dir);
	c->nth = nth;
	repro_in_step = true;
	if (sigsetjmp(repro_jmp, 1)) {
		r->abandoned = 1;
		repro_cleanup(h, !in_teardown);
		repro_in_step = false;
		return;
	}
	if (h->setup)
		h->setup(c);
	l0 = repro_lowest_free();
	if (nth) {
		/*
		 * Not one of the runner's markers (klog/marker.h): this runtime is
		 * compiled alone into each reproducer, and its line is for people
		 * reading the log, so the capture thread must not take it for a step.
		 */
		char m[200];
		int kfd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
		int len = snprintf(m, sizeof(m), "<14>faultsweep repro: arming fail-nth %u pid %d\n",
				   nth, (int)getpid());
		char v[16];

		if (kfd >= 0) {
			if (write(kfd, m, len) < 0) {
				/* the marker is for humans reading the log */
			}
			close(kfd);
		}
		len = snprintf(v, sizeof(v), "%u", nth);
		if (pwrite(repro_nth_fd, v, len, 0) != len)
			fs_broken(__FILE__, __LINE__, errno, "arming fail-nth");
	}
	errno = 0;
	r->ret = h->call(c);
	r->err = r->ret < 0 ? errno : 0;
	r->fired = nth ? repro_disarm(&r->remaining) : 0;
	if (r->fired > 0 && r->ret < 0) {
		r->fd_leak = repro_lowest_free() != l0;
		if (retry && !(h->flags & FS_NO_RETRY)) {
			errno = 0;
			r->retry_ret = h->call(c);
			r->retry_err = r->retry_ret < 0 ? errno : 0;
			r->retried = true;
		}
	}
	in_teardown = true;
	repro_cleanup(h, true);
	repro_in_step = false;
}

static const char *repro_errname(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "E?";
}

static bool repro_errno_ok(const struct fs_harness *h, const char *faults, int err)
{
	const int *e;

	if (err == ENOMEM)
		return true;
	if (err == EFAULT && strstr(faults, "usercopy"))
		return true;
	for (e = h->errnos; e && *e; e++)
		if (*e == err)
			return true;
	return false;
}

/* Judges one armed step as runner/sweep/oracle.c does; prints the outcome. */
static int repro_judge(const struct fs_harness *h, const char *name, unsigned nth,
		       const char *faults, const struct repro_step *r)
{
	int nbug = 0;

	if (r->abandoned) {
		printf("cannot tell: the step gave up: %s%s\n",
		       repro_why_conf ? "not supported here: " : "", repro_why);
		return REPRO_UNSURE;
	}
	if (r->fired < 0) {
		printf("cannot tell: fail-nth could not be read back\n");
		return REPRO_UNSURE;
	}
	if (!r->fired) {
		printf("cannot tell: the fault did not fire at N=%u: %s has %u fault points "
		       "in this kernel (N moves between kernel versions)\n",
		       nth, name, nth - r->remaining);
		return REPRO_UNSURE;
	}
	if (r->ret >= 0) {
		printf("no bug: the fault fired and %s succeeded anyway (swallowed)\n", name);
		return REPRO_OK;
	}
	if (!repro_errno_ok(h, faults, r->err)) {
		printf("bug: unexpected-errno: %s returns %s on a failed allocation\n", name,
		       repro_errname(r->err));
		nbug++;
	}
	if (r->fd_leak) {
		printf("%sbug: fd-leak: %s leaves a descriptor behind when it fails\n",
		       nbug++ ? "repro: " : "", name);
	}
	if (r->retried && r->retry_ret < 0) {
		printf("%sbug: retry-failed: %s fails with %s after a failed call\n",
		       nbug++ ? "repro: " : "", name, repro_errname(r->retry_err));
	}
	if (nbug)
		return REPRO_BUG;
	printf("no bug: the fault fired and %s failed with %s, as expected\n", name,
	       repro_errname(r->err));
	return REPRO_OK;
}

/**
 * repro_main() - run case @name (@h) at fail-nth @nth with the knobs of
 * fault types @faults, judge it as the worker's oracles do, print one line
 * and return the exit code.
 */
static int repro_main(const struct fs_harness *h, const char *name, unsigned nth,
		      const char *faults)
{
	const char *tmp = getenv("TMPDIR"), *rep = getenv("FS_REPRO_REPEAT");
	unsigned i, repeat = rep && *rep ? strtoul(rep, NULL, 10) : 5;
	struct repro_step r;
	char why[256];
	int code = REPRO_OK;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!repeat)
		repeat = 1;
	if (geteuid() != 0) {
		printf("repro: 125 cannot tell: must run as root (debugfs knobs, fail-nth)\n");
		return REPRO_UNSURE;
	}
	repro_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (repro_nth_fd < 0) {
		printf("repro: 125 cannot tell: no /proc/thread-self/fail-nth in this kernel "
		       "(CONFIG_FAULT_INJECTION, CONFIG_FAULT_INJECTION_DEBUG_FS): %s\n",
		       strerror(errno));
		return REPRO_UNSURE;
	}
	/* A module case's N counted the module's own points only: so must this one. */
	if (h->scope_module) {
		int fd = open("/proc/thread-self/fail-nth-module", O_WRONLY | O_CLOEXEC);

		if (fd < 0 || write(fd, h->scope_module, strlen(h->scope_module)) < 0) {
			printf("repro: 125 cannot tell: N counts only module %s's fault points, "
			       "and this kernel has no fail-nth-module (faultsweep's kernel "
			       "patch 0003): %s\n", h->scope_module, strerror(errno));
			if (fd >= 0)
				close(fd);
			return REPRO_UNSURE;
		}
		close(fd);
	}
	snprintf(repro_dir, sizeof(repro_dir), "%s/fs-repro.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(repro_dir)) {
		printf("repro: 125 cannot tell: mkdtemp %s: %s\n", repro_dir, strerror(errno));
		return REPRO_UNSURE;
	}
	repro_fd_base = repro_nth_fd + 1 > 3 ? repro_nth_fd + 1 : 3;
	if (repro_knobs(faults, why, sizeof(why))) {
		printf("repro: 125 cannot tell: %s\n", why);
		code = REPRO_UNSURE;
		goto out;
	}
	repro_run_step(h, 0, false, &r);
	if (r.abandoned || r.ret < 0) {
		printf("repro: 125 cannot tell: the fault-free step fails: %s\n",
		       r.abandoned ? repro_why : strerror(r.err));
		code = REPRO_UNSURE;
		goto out;
	}
	/*
	 * The number of fault points ahead of a site can move by one or two
	 * from one call to the next (slab refills, KASAN's quarantine), so the
	 * step is tried FS_REPRO_REPEAT times (default 5), each with a fresh
	 * setup, as syzkaller's reproducers repeat their program: a bug in
	 * any attempt is a bug; no bug where the fault fired is 0.
	 */
	code = REPRO_UNSURE;
	for (i = 1; i <= repeat && code != REPRO_BUG; i++) {
		repro_run_step(h, nth, true, &r);
		printf("repro: attempt %u/%u: ", i, repeat);
		switch (repro_judge(h, name, nth, faults, &r)) {
		case REPRO_BUG:
			code = REPRO_BUG;
			break;
		case REPRO_OK:
			code = REPRO_OK;
			break;
		}
	}
	if (code == REPRO_BUG)
		printf("repro: 1 bug reproduced at N=%u (attempt %u)\n", nth, i - 1);
	else if (code == REPRO_OK)
		printf("repro: 0 no bug: the fault fired at N=%u and was handled\n", nth);
	else
		printf("repro: 125 cannot tell: no attempt at N=%u could be judged\n", nth);
out:
	repro_restore();
	repro_rm_tree(repro_dir);
	rmdir(repro_dir);
	return code;
}
