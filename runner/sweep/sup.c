/*
 * The supervisor: worker slots as threads; each hands case after case to
 * its worker, reads the fixed-size records, judges them, journals them, and
 * replaces a worker that crashed or hung so the sweep goes on at N+1.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner/capture/kcap.h"
#include "runner/capture/kleak.h"
#include "runner/sweep/oracle.h"
#include "runner/sweep/sup.h"
#include "runner/sweep/sup_int.h"
#include "runner/sweep/wrec.h"
#include "runner/sweep/zygote.h"


struct slot {
	struct sup *s;
	unsigned id;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}


/* A slot's worker process (runner/sweep/worker_serve.c); pid 0 when there is none. */
struct worker {
	pid_t pid;
	int pidfd, rfd, afd;    /* afd: one byte per journaled step record, and case commands */
};

/*
 * Start a worker: from the zygote, else fork + exec ourselves as
 * `__worker` (the child of a threaded process only execs).
 */
static int spawn(struct sup *s, struct worker *w)
{
	const char *argv[] = { "faultsweep", "__worker", "--fd", "3", "--ack-fd", "4", NULL };
	int p[2], a[2], err;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	if (pipe2(a, O_CLOEXEC)) {
		err = -errno;
		goto fail_p;
	}
	if (s->o->zygote) {
		w->pid = zyg_spawn(p[1], a[0]);
		if (w->pid < 0) {
			err = w->pid;
			goto fail;
		}
		goto spawned;
	}
	w->pid = fork();
	if (w->pid < 0) {
		err = -errno;
		goto fail;
	}
	if (w->pid == 0) {
		sigset_t none;

		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* fd 3: records out, fd 4: acks in (dup2 clears close-on-exec). */
		int out = fcntl(p[1], F_DUPFD_CLOEXEC, 5), ack = fcntl(a[0], F_DUPFD_CLOEXEC, 5);

		dup2(out, 3);
		dup2(ack, 4);
		syscall(SYS_close_range, 5, ~0u, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execv(s->self, (char *const *)argv);
		_exit(127);
	}
spawned:
	setpgid(w->pid, w->pid);
	close(p[1]);
	close(a[0]);
	w->afd = a[1];
	/* Non-blocking: a harness's child may still hold the write end. */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	w->rfd = p[0];
	w->pidfd = syscall(SYS_pidfd_open, w->pid, 0);
	return 0;
fail:
	close(a[0]);
	close(a[1]);
fail_p:
	close(p[0]);
	close(p[1]);
	w->pid = 0;
	return err;
}

/* Hand the idle worker its next case. */
static int send_case(struct sup *s, struct worker *w, const struct fs_harness *h, unsigned from,
		     const char *dir)
{
	struct fs_wcmd q = { .magic = WCMD_MAGIC, .from = from, .max_nth = s->o->max_nth,
			     .retry = s->o->retry, .sites = s->o->sites };

	snprintf(q.name, sizeof(q.name), "%s", h->name);
	snprintf(q.dir, sizeof(q.dir), "%s", dir);
	return write(w->afd, &q, sizeof(q)) == (ssize_t)sizeof(q) ? 0 : -EPIPE;
}

/* Tell the worker its step records are in the journal: it may arm the next step. */
static void ack(struct worker *w, unsigned steps)
{
	static const char ones[64];

	while (steps && w->afd >= 0) {
		unsigned n = steps < sizeof(ones) ? steps : sizeof(ones);

		if (write(w->afd, ones, n) <= 0)
			break;
		steps -= n;
	}
}

static void kill_worker(struct worker *w, int *status)
{
	kill(-w->pid, SIGKILL);
	kill(w->pid, SIGKILL);
	waitpid(w->pid, status, 0);
}

static void close_worker(struct worker *w)
{
	if (w->rfd >= 0)
		close(w->rfd);
	if (w->pidfd >= 0)
		close(w->pidfd);
	if (w->afd >= 0)
		close(w->afd);
	w->rfd = w->pidfd = w->afd = -1;
	w->pid = 0;
}

/* No more cases: the worker exits when its command pipe closes. */
static void retire_worker(struct worker *w)
{
	struct pollfd pfd = { w->pidfd, POLLIN, 0 };
	int status;

	if (w->pid <= 0)
		return;
	close(w->afd);
	w->afd = -1;
	if (w->pidfd >= 0 && poll(&pfd, 1, 5000) <= 0)
		kill_worker(w, &status);
	else
		waitpid(w->pid, &status, 0);
	close_worker(w);
}

/*
 * Handle one record. Returns true when the case's sweep is over; *@bad when
 * the record made no sense (the worker is not trusted with another case).
 */
static bool on_record(struct sup *s, struct sup_case *c, const struct fs_wrec *r,
		      unsigned *inflight, double *t_begin, char *reason, size_t rlen, bool *bad)
{
	struct fs_verdict v;

	switch (r->type) {
	case WREC_BEGIN:
		*inflight = r->nth;
		*t_begin = now_s();
		return false;
	case WREC_STEP:
		wrec_judge(c->h, s->o->faults, r, &v);
		sup_record_step(s, c, r, &v);
		if (s->o->sites && r->nth && (r->flags & WREC_FIRED))
			sup_record_site(s, c, r);
		*inflight = 0;
		return false;
	case WREC_END:
		c->points = r->points;
		if (*r->msg)
			snprintf(reason, rlen, "%s", r->msg);
		return true;
	case WREC_CONF:
	case WREC_BROK:
		wrec_judge(c->h, s->o->faults, r, &v);
		c->conf = r->type == WREC_CONF;
		if (r->nth) {
			sup_record_step(s, c, r, &v);
		} else {
			stats_verdict(s->st, c->conf ? "CONF" : "BROK");
			c->broks += !c->conf;
		}
		snprintf(reason, rlen, "%s", r->msg);
		return true;
	}
	snprintf(reason, rlen, "garbled worker record type %u", r->type);
	c->broks++;
	*bad = true;
	return true;
}

/*
 * Reading one worker's records for case @c: what is buffered (a record may
 * arrive split across reads), the step in flight, and how the case stands.
 */
struct reader {
	struct sup *s;
	struct sup_case *c;
	int fd;
	union {
		struct fs_wrec r[64];
		char raw[64 * sizeof(struct fs_wrec)];
	} u;
	size_t have;
	unsigned inflight;	/* the N armed (BEGIN) and not yet recorded, or 0 */
	double t_begin;		/* when it was armed */
	char *reason;		/* the case's BROK/CONF reason, @rlen bytes */
	size_t rlen;
	bool over;		/* the case's sweep is over */
	bool bad;		/* a record made no sense: the worker is not trusted again */
};

/*
 * Read what the worker has written (up to 64 records) and handle every whole
 * record; *@steps counts the step records (N > 0) among them. Returns the
 * bytes read (0 at EOF, < 0 when nothing was there).
 */
static ssize_t pump(struct reader *rd, unsigned *steps)
{
	ssize_t n = read(rd->fd, rd->u.raw + rd->have, sizeof(rd->u) - rd->have);
	size_t i, whole;

	if (n <= 0)
		return n;
	rd->have += n;
	whole = rd->have / sizeof(struct fs_wrec);
	for (i = 0; i < whole && !rd->over; i++) {
		*steps += rd->u.r[i].type == WREC_STEP && rd->u.r[i].nth;
		rd->over = on_record(rd->s, rd->c, &rd->u.r[i], &rd->inflight, &rd->t_begin,
				     rd->reason, rd->rlen, &rd->bad);
	}
	rd->have -= whole * sizeof(struct fs_wrec);
	memmove(rd->u.raw, rd->u.raw + whole * sizeof(struct fs_wrec), rd->have);
	return n;
}

/* The worker died or was killed: journal the step in flight as such. */
static void record_lost(struct sup *s, struct sup_case *c, const struct worker *w,
			unsigned nth, double t_begin, const struct fs_verdict *v)
{
	struct fs_wrec r = { .type = WREC_STEP, .nth = nth, .pid = w->pid, .flags = WREC_LOST };

	r.t_us = (now_s() - t_begin) * 1e6;
	sup_record_step(s, c, &r, v);
	sup_flush(s);
	sup_check_stuck(s, c);
}

/*
 * Sweep one case to its end with the slot's worker @w, replacing it when
 * it crashed or hung (the sweep goes on at N+1). A worker that ended the
 * case cleanly is kept for the next one.
 */
static void sweep_case(struct slot *sl, struct sup_case *c, struct worker *w)
{
	struct sup *s = sl->s;
	char dir[512], reason[256] = "";
	unsigned from = c->from ? c->from : 1, quiet_ends = 0;
	struct reader rd = { .s = s, .c = c, .reason = reason, .rlen = sizeof(reason) };

	unsigned long taint0 = sup_read_taint();
	unsigned reports0 = s->o->kcap ? kcap_reports(s->o->kcap) : 0;

	snprintf(dir, sizeof(dir), "%s/w%u-%s", s->o->tmpdir, sl->id, c->h->name);
	while (!rd.over && !*s->stop) {
		int status = 0, err;
		bool exited = false, heard = false;

		err = w->pid > 0 ? 0 : spawn(s, w);
		if (err) {
			snprintf(reason, sizeof(reason), "cannot start a worker: %s", strerror(-err));
			c->broks++;
			break;
		}
		if (send_case(s, w, c->h, from, dir)) {
			/* It ended between cases (its address space changed): a fresh one. */
			kill_worker(w, &status);
			close_worker(w);
			if (quiet_ends++) {
				snprintf(reason, sizeof(reason), "workers end before they take the case");
				c->broks++;
				break;
			}
			continue;
		}
		rd.fd = w->rfd;
		rd.have = 0;
		rd.inflight = 0;
		rd.t_begin = 0;
		while (!rd.over && !exited) {
			struct pollfd pfd[2] = { { w->rfd, POLLIN, 0 }, { w->pidfd, POLLIN, 0 } };
			ssize_t n;

			poll(pfd, 2, 200);
			if (pfd[0].revents & (POLLIN | POLLHUP)) {
				unsigned steps = 0;

				n = pump(&rd, &steps);
				sup_flush(s);
				ack(w, steps);
				if (n > 0) {
					heard = true;
					continue;
				}
			}
			if (*s->stop) {
				kill_worker(w, &status);
				close_worker(w);
				return;
			}
			if (rd.inflight && s->o->timeout_s && now_s() - rd.t_begin > s->o->timeout_s) {
				struct fs_verdict v;

				kill_worker(w, &status);
				oracle_hang(c->h, s->o->timeout_s, &v);
				record_lost(s, c, w, rd.inflight, rd.t_begin, &v);
				from = rd.inflight + 1;
				exited = true;
				break;
			}
			if (pfd[1].revents & POLLIN) {
				/* Drain records written before the exit, then judge the exit. */
				kill(-w->pid, SIGKILL);
				unsigned steps = 0;

				while (!rd.over && pump(&rd, &steps) > 0)
					heard = true;
				sup_flush(s);
				waitpid(w->pid, &status, 0);
				exited = true;
				if (rd.over)
					break;
				if (rd.inflight) {
					struct fs_verdict v;

					oracle_killed(c->h, WIFSIGNALED(status) ? WTERMSIG(status) : 0, &v);
					record_lost(s, c, w, rd.inflight, rd.t_begin, &v);
					from = rd.inflight + 1;
				} else if (!heard && WIFEXITED(status) && !WEXITSTATUS(status) &&
					   !quiet_ends++) {
					/* It ended between cases before it read this one: a fresh one. */
				} else {
					snprintf(reason, sizeof(reason),
						 "worker exited (%s %d) outside a step",
						 WIFSIGNALED(status) ? "signal" : "status",
						 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
					c->broks++;
					rd.over = true;
				}
			}
		}
		if (exited || rd.bad) {
			if (!exited)
				kill_worker(w, &status);
			close_worker(w);
		}
	}
	if (s->o->kcap) {
		c->kreports += kcap_case_done(s->o->kcap, c->h->name);
		sup_check_taint(s, c, taint0, reports0);
	}
	if (!*s->stop)
		sup_record_case(s, c, reason);
	c->done = !*s->stop;
	if (c->done && s->o->kleak_every) {
		unsigned done;

		pthread_mutex_lock(&s->st->lock);
		done = s->st->cases_done;
		pthread_mutex_unlock(&s->st->lock);
		if (done % s->o->kleak_every == 0)
			kleak_scan(s->o->kcap, s->o->journal, s->o->run_id, s->st);
	}
}

static struct sup_case *next_case(struct sup *s, struct sup_case *scratch)
{
	struct sup_case *c = NULL;

	pthread_mutex_lock(&s->lock);
	if (s->next < s->ncases) {
		c = &s->cases[s->next++];
	} else if (s->o->duration_s > 0 && now_s() < s->t_end && s->ncases) {
		/* Benchmark mode: sweep the selection again, into a scratch result. */
		*scratch = s->cases[s->next++ % s->ncases];
		scratch->done = false;
		scratch->points = scratch->steps = scratch->fails = scratch->broks = 0;
		c = scratch;
	}
	pthread_mutex_unlock(&s->lock);
	return c;
}

static void *slot_main(void *arg)
{
	struct slot *sl = arg;
	struct sup_case scratch, *c;
	struct worker w = { .rfd = -1, .pidfd = -1, .afd = -1 };

	while (!*sl->s->stop && (c = next_case(sl->s, &scratch))) {
		if (c->done)
			continue;
		/* Cases on kernel-wide state (modules) never run side by side. */
		if (c->h->flags & FS_SERIAL)
			pthread_mutex_lock(&sl->s->serial);
		sweep_case(sl, c, &w);
		if (c->h->flags & FS_SERIAL)
			pthread_mutex_unlock(&sl->s->serial);
	}
	if (*sl->s->stop && w.pid > 0) {
		int status;

		kill_worker(&w, &status);
		close_worker(&w);
	}
	retire_worker(&w);
	return NULL;
}

int sup_run(const struct sup_opts *o, struct sup_case *cases, size_t ncases,
	    struct fs_stats *st, volatile bool *stop)
{
	struct sup s = { .o = o, .cases = cases, .ncases = ncases, .st = st, .stop = stop };
	pthread_t *tids;
	struct slot *slots;
	unsigned i, jobs = o->jobs ? o->jobs : 1;
	ssize_t len;

	len = readlink("/proc/self/exe", s.self, sizeof(s.self) - 1);
	if (len < 0)
		return -errno;
	s.self[len] = 0;
	s.t_end = now_s() + o->duration_s;
	pthread_mutex_init(&s.lock, NULL);
	pthread_mutex_init(&s.serial, NULL);
	tids = calloc(jobs, sizeof(*tids));
	slots = calloc(jobs, sizeof(*slots));
	if (!tids || !slots) {
		free(tids);
		free(slots);
		return -ENOMEM;
	}
	for (i = 0; i < jobs; i++) {
		slots[i].s = &s;
		slots[i].id = i;
		pthread_create(&tids[i], NULL, slot_main, &slots[i]);
	}
	for (i = 0; i < jobs; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	free(slots);
	pthread_mutex_destroy(&s.lock);
	pthread_mutex_destroy(&s.serial);
	return 0;
}
