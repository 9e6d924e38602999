/* Renders sweep progress: cases done/total, current case and N, steps/s, findings, ETA. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runner/sweep/progress.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_init(struct progress *p, bool quiet)
{
	memset(p, 0, sizeof(*p));
	p->quiet = quiet;
	p->tty = isatty(STDERR_FILENO);
	p->t0 = p->last = p->last_steps_t = now_s();
}

void progress_tick(struct progress *p, struct fs_stats *st)
{
	double t = now_s(), el = t - p->t0, eta = -1;
	unsigned done, total, findings, i;
	char cur[96], etas[32] = "?";
	uint64_t steps;

	if (p->quiet || t - p->last < (p->tty ? 0.5 : 10.0))
		return;
	p->last = t;
	pthread_mutex_lock(&st->lock);
	done = st->cases_done;
	total = st->cases_total;
	steps = st->steps;
	for (findings = 0, i = 0; i < st->kinds_n; i++)
		findings += st->kind_count[i];
	snprintf(cur, sizeof(cur), "%s", st->current);
	pthread_mutex_unlock(&st->lock);
	if (t - p->last_steps_t >= 1.0) {
		p->rate = (steps - p->last_steps) / (t - p->last_steps_t);
		p->last_steps = steps;
		p->last_steps_t = t;
	}
	if (done && done < total)
		eta = el / done * (total - done);
	if (eta >= 0)
		snprintf(etas, sizeof(etas), "%dm%02ds", (int)eta / 60, (int)eta % 60);
	fprintf(stderr, "%s[%u/%u cases] %-36.36s %6.0f steps/s  findings %u  ETA %s%s",
		p->tty ? "\r\033[K" : "", done, total, cur, p->rate, findings, etas,
		p->tty ? "" : "\n");
}

void progress_done(struct progress *p)
{
	if (!p->quiet && p->tty)
		fputs("\r\033[K", stderr);
}
