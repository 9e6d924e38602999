/* The live counters every stage of a run updates, under one lock. */
#include <stdio.h>
#include <string.h>

#include "runner/base/stats.h"

/* Locked. */
static void count_kind(struct fs_stats *st, const char *kind)
{
	unsigned i;

	for (i = 0; i < st->kinds_n; i++)
		if (!strcmp(st->kinds[i], kind))
			break;
	if (i == st->kinds_n) {
		if (st->kinds_n == STATS_KINDS)
			return;
		snprintf(st->kinds[st->kinds_n++], sizeof(st->kinds[0]), "%s", kind);
	}
	st->kind_count[i]++;
}

/* Locked. */
static void count_verdict(struct fs_stats *st, const char *verdict)
{
	if (!strcmp(verdict, "PASS"))
		st->pass++;
	else if (!strcmp(verdict, "FAIL"))
		st->fail++;
	else if (!strcmp(verdict, "CONF"))
		st->conf++;
	else
		st->brok++;
}

void stats_step(struct fs_stats *st, const char *case_name, unsigned nth, bool fired,
		bool swallowed, const char *verdict)
{
	if (!st)
		return;
	pthread_mutex_lock(&st->lock);
	st->steps++;
	st->fired += fired;
	st->swallowed += swallowed;
	count_verdict(st, verdict);
	snprintf(st->current, sizeof(st->current), "%s nth=%u", case_name, nth);
	pthread_mutex_unlock(&st->lock);
}

void stats_kind(struct fs_stats *st, const char *kind)
{
	if (!st)
		return;
	pthread_mutex_lock(&st->lock);
	count_kind(st, kind);
	pthread_mutex_unlock(&st->lock);
}

void stats_finding(struct fs_stats *st, const char *kind)
{
	if (!st)
		return;
	pthread_mutex_lock(&st->lock);
	st->fail++;
	count_kind(st, kind);
	pthread_mutex_unlock(&st->lock);
}

void stats_verdict(struct fs_stats *st, const char *verdict)
{
	if (!st)
		return;
	pthread_mutex_lock(&st->lock);
	count_verdict(st, verdict);
	pthread_mutex_unlock(&st->lock);
}

void stats_site(struct fs_stats *st)
{
	if (!st)
		return;
	pthread_mutex_lock(&st->lock);
	st->sites++;
	pthread_mutex_unlock(&st->lock);
}

void stats_cases(struct fs_stats *st, unsigned n)
{
	if (!st)
		return;
	pthread_mutex_lock(&st->lock);
	st->cases_total += n;
	pthread_mutex_unlock(&st->lock);
}

unsigned stats_case_done(struct fs_stats *st)
{
	unsigned n;

	if (!st)
		return 0;
	pthread_mutex_lock(&st->lock);
	n = ++st->cases_done;
	pthread_mutex_unlock(&st->lock);
	return n;
}
