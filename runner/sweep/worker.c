/*
 * The sweep of one case: across N with fail-nth of the process's only
 * thread, a fixed-size record per event to the supervisor. It runs in a
 * case process of the worker (runner/sweep/worker_serve.c), single-threaded, so
 * it may use stdio.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "klog/marker.h"
#include "runner/base/exitcodes.h"
#include "runner/inject/failnth.h"
#include "runner/capture/kmods.h"
#include "runner/sweep/worker.h"

struct wrk {
	const struct wrk_opts *o;
	struct fs_ctx ctx;
	int nth_fd;          /* /proc/thread-self/fail-nth */
	int site_fd;         /* /proc/thread-self/fail-nth-site with --sites, else -1 */
	int dir_fd;          /* the private directory, to see cheaply whether it is empty */
	int kmsg_fd;         /* /dev/kmsg, for the step markers kcap attributes by; -1 if none */
	struct wrk_keep *keep;	/* what the worker keeps across cases (kmsg_fd is its) */
	unsigned unacked;    /* step records sent but not yet journaled */
	int fd_base;         /* descriptors >= this belong to the harness */
	sigjmp_buf jmp;
	bool in_step, in_teardown, armed;
	struct fs_wrec ab;   /* filled by wrk_abandon() */
};

static struct wrk *cur;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ull + ts.tv_nsec / 1000;
}

void wrk_abandon(enum wrk_abandon_kind kind, const char *file, int line, int err,
		 const char *what)
{
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	if (cur && cur->armed)
		failnth_disarm(cur->nth_fd, NULL);
	if (!cur || !cur->in_step) {
		fprintf(stderr, "faultsweep: %s:%d: %s: %s\n", base, line, what, strerror(err));
		_exit(FS_EXIT_BROKEN);
	}
	memset(&cur->ab, 0, sizeof(cur->ab));
	cur->ab.type = kind == WRK_ABANDON_CONF ? WREC_CONF : WREC_BROK;
	cur->ab.err = err;
	if (kind == WRK_ABANDON_CONF)
		snprintf(cur->ab.msg, sizeof(cur->ab.msg), "%s (%s:%d)", what, base, line);
	else
		snprintf(cur->ab.msg, sizeof(cur->ab.msg), "%s:%d: %s: %s", base, line, what,
			 strerror(err));
	siglongjmp(cur->jmp, 1);
}

/* The lowest free descriptor at or above fd_base; a leaked fd takes it. */
static int lowest_free(const struct wrk *w)
{
	int fd = fcntl(w->nth_fd, F_DUPFD_CLOEXEC, w->fd_base);

	if (fd >= 0)
		close(fd);
	return fd;
}

static void rm_tree_at(int dirfd)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *e;

	if (!d) {
		close(dirfd);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(dirfd, e->d_name, 0) && (errno == EISDIR || errno == EPERM)) {
			int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub >= 0)
				rm_tree_at(sub);
			unlinkat(dirfd, e->d_name, AT_REMOVEDIR);
		}
	}
	closedir(d);
}

/*
 * Leave the private directory empty for the next setup. On tmpfs an empty
 * directory has size 0 and two links: one fstat per step in the common case.
 */
static void reset_dir(struct wrk *w)
{
	struct stat st;
	int fd;

	if (fstat(w->dir_fd, &st))
		return;
	if (st.st_nlink == 2 && st.st_size == 0)
		return;
	if (st.st_nlink == 0) {
		/* The case removed the directory itself: make a new one. */
		mkdir(w->o->dir, 0700);
		fd = open(w->o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			dup3(fd, w->dir_fd, O_CLOEXEC);
			close(fd);
		}
		return;
	}
	fd = dup(w->dir_fd);
	if (fd < 0)
		return;
	lseek(fd, 0, SEEK_SET);
	rm_tree_at(fd);
}

static void empty_dir(const char *dir)
{
	int fd;

	if (!rmdir(dir) || errno == ENOENT)
		goto out;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		rm_tree_at(fd);
	rmdir(dir);
out:
	mkdir(dir, 0700);
}

/* Wait until every step record sent so far is journaled. */
static void wait_acks(struct wrk *w)
{
	while (w->unacked && w->o->ack_fd >= 0) {
		char acks[64];
		ssize_t n = read(w->o->ack_fd, acks, w->unacked < sizeof(acks) ? w->unacked : sizeof(acks));

		if (n <= 0 && errno != EINTR)
			break;
		if (n > 0)
			w->unacked -= n;
	}
}

static void reset_ctx(struct wrk *w)
{
	struct fs_ctx *c = &w->ctx;
	int i;

	for (i = 0; i < FS_CTX_FDS; i++)
		c->fd[i] = -1;
	memset(c->val, 0, sizeof(c->val));
	memset(c->ptr, 0, sizeof(c->ptr));
	memset(c->len, 0, sizeof(c->len));
	memset(c->path, 0, sizeof(c->path));
	c->pid = 0;
	c->arg = w->o->h->arg;
	snprintf(c->dir, sizeof(c->dir), "%s", w->o->dir);
}

static void cleanup(struct wrk *w)
{
	const struct fs_harness *h = w->o->h;

	if (h->teardown && !w->in_teardown) {
		w->in_teardown = true;
		h->teardown(&w->ctx);
	}
	w->in_teardown = false;
	close_range(w->fd_base, ~0u, 0);
	if (w->ctx.pid > 0) {
		kill(w->ctx.pid, SIGKILL);
		waitpid(w->ctx.pid, NULL, 0);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	reset_dir(w);
}

/* The link count of /sys/module: one more per loaded module (kernfs), 0 when unknown. */
static unsigned modules_links(const struct wrk *w)
{
	struct stat st;

	return w->keep->modules_fd >= 0 && !fstat(w->keep->modules_fd, &st) ? st.st_nlink : 0;
}

/*
 * Announce newly loaded modules (runner/capture/kmods.h) while they are loaded, so
 * before teardown, which may unload one the step loaded. Reading
 * /proc/modules costs ~0.4 ms under TCG, a fifth of a step, so it is read
 * only when the set of modules may have changed: when /sys/module's link
 * count differs from the last read or from the step's start (@links0). A
 * module loaded and another unloaded within one step's setup and call, the
 * count back where it was, goes unannounced until the next change.
 */
static void announce_modules(struct wrk *w, unsigned links0)
{
	struct wrk_keep *k = w->keep;
	unsigned links = modules_links(w);

	if (links && links == links0 && links == k->modules_links)
		return;
	kmods_announce(&k->mods, w->kmsg_fd);
	k->modules_links = links;
}

/*
 * The task's comm says the step: kmemleak records only the allocating
 * task's pid and comm, and the pid is the same for every N of a case, so
 * "fs#N" is what attributes a leak to its step (runner/capture/kleak.c). KASAN and
 * Oops reports show it too ("by task fs#17/123").
 */
static void name_step(unsigned nth)
{
	char comm[16];

	snprintf(comm, sizeof(comm), "fs#%u", nth);
	prctl(PR_SET_NAME, comm);
}

/*
 * One step: setup, arm at @nth (0 = no fault), call, disarm, oracles that
 * need the process (fd leak, retry), teardown. The outcome goes into @r.
 */
static void run_step(struct wrk *w, unsigned nth, struct fs_wrec *r)
{
	const struct fs_harness *h = w->o->h;
	uint64_t t0 = now_us();
	unsigned remaining = 0;
	volatile int l0 = -1, fired = 0;
	volatile unsigned links0 = modules_links(w);
	long ret;
	int err;

	memset(r, 0, sizeof(*r));
	r->nth = nth;
	r->pid = getpid();
	reset_ctx(w);
	w->ctx.nth = nth;
	name_step(nth);
	w->in_step = true;
	if (sigsetjmp(w->jmp, 1)) {
		w->armed = false;
		*r = w->ab;
		r->nth = nth;
		r->pid = getpid();
		cleanup(w);
		w->in_step = false;
		r->t_us = now_us() - t0;
		return;
	}
	if (h->setup)
		h->setup(&w->ctx);
	l0 = lowest_free(w);
	/*
	 * Arm only once every earlier step is in the journal, so a kernel that
	 * dies now loses the step in flight and nothing before it. The wait
	 * overlaps the journal write with teardown and setup.
	 */
	if (nth)
		wait_acks(w);
	if (nth && w->kmsg_fd >= 0) {
		char m[MARKER_LINE_MAX];
		int len = marker_step(m, sizeof(m), h->name, nth, r->pid);

		if (write(w->kmsg_fd, m, len) < 0)
			w->kmsg_fd = -1;
	}
	if (nth) {
		if (failnth_arm(w->nth_fd, nth))
			wrk_abandon(WRK_ABANDON_BROK, __FILE__, __LINE__, errno, "arming fail-nth");
		w->armed = true;
	}
	errno = 0;
	ret = h->call(&w->ctx);
	err = ret < 0 ? errno : 0;
	if (nth) {
		fired = failnth_disarm_site(w->nth_fd, &remaining, w->site_fd, r->site,
					    sizeof(r->site));
		w->armed = false;
	}
	r->type = WREC_STEP;
	r->ret = ret;
	r->err = err;
	if (fired < 0)
		r->flags |= WREC_READ_FAIL;
	if (fired > 0)
		r->flags |= WREC_FIRED;
	r->remaining = remaining;
	if (fired > 0 && ret < 0) {
		if (lowest_free(w) != l0)
			r->flags |= WREC_FD_LEAK;
		if (w->o->retry && !(h->flags & FS_NO_RETRY)) {
			errno = 0;
			r->retry_ret = h->call(&w->ctx);
			r->retry_err = r->retry_ret < 0 ? errno : 0;
			r->flags |= WREC_RETRIED;
		}
	}
	announce_modules(w, links0);
	cleanup(w);
	w->in_step = false;
	r->t_us = now_us() - t0;
}

static int send_rec(int fd, struct fs_wrec *r, enum wrec_type type)
{
	if (type)
		r->type = type;
	if (r->type == WREC_STEP && r->nth && cur)
		cur->unacked++;
	return write(fd, r, sizeof(*r)) == (ssize_t)sizeof(*r) ? 0 : -errno;
}

/* A clean call that fails says the case cannot run here or is broken. */
static void judge_clean(const struct fs_wrec *s, struct fs_wrec *r)
{
	*r = *s;
	switch (s->err) {
	case ENOSYS: case EOPNOTSUPP: case EAFNOSUPPORT: case EPROTONOSUPPORT:
	case ESOCKTNOSUPPORT:
		r->type = WREC_CONF;
		snprintf(r->msg, sizeof(r->msg), "the call fails with %s without a fault",
			 strerrorname_np(s->err) ? strerrorname_np(s->err) : "?");
		break;
	default:
		r->type = WREC_BROK;
		snprintf(r->msg, sizeof(r->msg), "the call fails without a fault: %s (%s)",
			 strerrorname_np(s->err) ? strerrorname_np(s->err) : "?", strerror(s->err));
	}
}

/* The descriptors every case needs, when no serving worker keeps them. */
static struct wrk_keep *own_keep(void)
{
	static struct wrk_keep k = { .kmsg_fd = -1, .modules_fd = -1 };
	static bool opened;

	if (!opened) {
		k.kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
		k.modules_fd = open("/sys/module", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		opened = true;
	}
	return &k;
}

/*
 * Sweep N = from, from+1, ... until the fault stops firing (confirmed once)
 * or --max-nth. Returns the last record to send (END, CONF or BROK) in @fin,
 * or an error of sending the ones before.
 */
static int sweep(struct wrk *w, struct fs_wrec *fin)
{
	const struct wrk_opts *o = w->o;
	struct fs_wrec r, again;
	bool confirmed;
	unsigned n;
	int ret;

	for (n = o->from; ; n++) {
		if (o->max_nth && n > o->max_nth) {
			memset(fin, 0, sizeof(*fin));
			fin->type = WREC_END;
			fin->nth = n;
			snprintf(fin->msg, sizeof(fin->msg), "stopped at --max-nth %u", o->max_nth);
			return 0;
		}
		memset(&r, 0, sizeof(r));
		r.nth = n;
		r.pid = getpid();
		ret = send_rec(o->out_fd, &r, WREC_BEGIN);
		if (ret)
			return ret;
		run_step(w, n, &r);
		if (r.type != WREC_STEP) {
			*fin = r;
			return 0;
		}
		confirmed = false;
		if (!(r.flags & WREC_FIRED)) {
			/* The end of the sweep: confirm it once before believing it. */
			run_step(w, n, &again);
			if (again.type != WREC_STEP || (again.flags & WREC_FIRED)) {
				again.flags |= WREC_NONDET;
				r = again;
			} else {
				confirmed = true;
			}
		}
		/* Fewer points than steps already fired: the case is not deterministic. */
		if (confirmed && n - r.remaining < n - 1)
			r.flags |= WREC_NONDET;
		if (r.type != WREC_STEP) {
			*fin = r;
			return 0;
		}
		ret = send_rec(o->out_fd, &r, 0);
		if (ret)
			return ret;
		if (confirmed) {
			/* Points: the highest N that fired; the last run's own count may differ (NONDET). */
			*fin = r;
			fin->type = WREC_END;
			fin->points = n - 1;
			return 0;
		}
	}
}

int wrk_main(const struct wrk_opts *o)
{
	static struct wrk w;
	struct fs_wrec fin;
	int ret;

	memset(&w, 0, sizeof(w));
	w.o = o;
	w.keep = o->keep ? o->keep : own_keep();
	fcntl(o->out_fd, F_SETFD, FD_CLOEXEC);
	if (o->ack_fd >= 0)
		fcntl(o->ack_fd, F_SETFD, FD_CLOEXEC);
	cur = &w;
	w.nth_fd = failnth_open();
	if (w.nth_fd < 0 && !o->clean_only)
		return w.nth_fd;
	w.site_fd = o->sites && !o->clean_only ? failnth_site_open() : -1;
	/*
	 * Module sweeps: N counts only the module's own fault points where the
	 * kernel can scope fail-nth (the run has journaled whether it can).
	 */
	if (o->h->scope_module && !o->clean_only)
		failnth_scope_module(o->h->scope_module);
	empty_dir(o->dir);
	w.dir_fd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.dir_fd < 0)
		return -errno;
	w.kmsg_fd = o->clean_only ? -1 : w.keep->kmsg_fd;
	/* Everything the worker itself holds is below fd_base. */
	w.fd_base = o->out_fd > w.nth_fd ? o->out_fd : w.nth_fd;
	if (o->ack_fd > w.fd_base)
		w.fd_base = o->ack_fd;
	if (w.dir_fd > w.fd_base)
		w.fd_base = w.dir_fd;
	if (w.keep->kmsg_fd > w.fd_base)
		w.fd_base = w.keep->kmsg_fd;
	if (w.keep->modules_fd > w.fd_base)
		w.fd_base = w.keep->modules_fd;
	if (w.site_fd > w.fd_base)
		w.fd_base = w.site_fd;
	w.fd_base++;
	if (w.fd_base < 3)
		w.fd_base = 3;

	run_step(&w, 0, &fin);
	if (fin.type == WREC_STEP && fin.ret < 0)
		judge_clean(&fin, &fin);
	ret = fin.type != WREC_STEP || o->clean_only ? 0 : sweep(&w, &fin);
	if (w.kmsg_fd >= 0) {
		/*
		 * One marker per step is all the log needs: the next step's marker,
		 * from the same task, ends any report this one printed; this ends
		 * the last step's. Before the last record: the supervisor writes
		 * its end marker when that arrives, and counts the case's reports
		 * up to there.
		 */
		char m[MARKER_LINE_MAX];
		int len = marker_done(m, sizeof(m), o->h->name, (int)getpid());

		if (write(w.kmsg_fd, m, len) < 0)
			w.kmsg_fd = -1;
	}
	if (!ret)
		ret = send_rec(o->out_fd, &fin, 0);
	/* The acks of the last steps: the pipe must be empty for the next case. */
	if (!ret)
		wait_acks(&w);
	if (w.nth_fd >= 0)
		close(w.nth_fd);
	if (w.site_fd >= 0)
		close(w.site_fd);
	close(w.dir_fd);
	empty_dir(o->dir);
	rmdir(o->dir);
	return ret;
}
