/* The supervisor's records: step and case records to the journal (group commit), live counters, taint. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "klog/fidump.h"
#include "runner/capture/kcap.h"
#include "runner/sweep/sup_int.h"

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

/*
 * Group commit: the records a slot reads in one go are journaled with one
 * write(2). Nothing waits in memory longer than the records still in the
 * pipe would, so a panic loses no more than before.
 */
static __thread struct {
	char *buf;
	size_t len, cap;
} batch;

static void emit(struct sup *s, const char *json)
{
	size_t l = strlen(json);

	if (batch.len + l + 1 > batch.cap) {
		size_t cap = (batch.len + l + 1) * 2;
		char *b = realloc(batch.buf, cap);

		if (!b) {
			journal_write(s->o->journal, json);
			return;
		}
		batch.buf = b;
		batch.cap = cap;
	}
	memcpy(batch.buf + batch.len, json, l);
	batch.buf[batch.len + l] = '\n';
	batch.len += l + 1;
}

void sup_flush(struct sup *s)
{
	if (batch.len && journal_write_lines(s->o->journal, batch.buf, batch.len))
		fprintf(stderr, "faultsweep: cannot write the journal: %s\n", strerror(errno));
	batch.len = 0;
}

void sup_record_note(struct sup *s, const char *text)
{
	struct jb b;

	jb_begin(&b);
	jb_str(&b, "type", "note");
	jb_str(&b, "run", s->o->run_id);
	jb_str(&b, "text", text);
	emit(s, jb_end(&b));
	sup_flush(s);
}

bool sup_check_stuck(struct sup *s, struct sup_case *c)
{
	char why[300], text[512];

	if (!c->h->stuck || !c->h->stuck(c->h, why, sizeof(why)))
		return false;
	snprintf(text, sizeof(text), "%s: %s: the kernel needs a reboot; "
		 "the sweep resumes after it", c->h->name, why);
	sup_record_note(s, text);
	fprintf(stderr, "\nfaultsweep: %s\n", text);
	if (s->o->reboot)
		*s->o->reboot = true;
	*s->stop = true;
	return true;
}

static void count_kind(struct sup_stats *st, const char *kind)
{
	unsigned i;

	for (i = 0; i < st->kinds_n; i++)
		if (!strcmp(st->kinds[i], kind))
			break;
	if (i == st->kinds_n) {
		if (st->kinds_n == 16)
			return;
		snprintf(st->kinds[st->kinds_n++], sizeof(st->kinds[0]), "%s", kind);
	}
	st->kind_count[i]++;
}

void sup_count_finding(struct sup_stats *st, const char *kind)
{
	pthread_mutex_lock(&st->lock);
	st->fail++;
	count_kind(st, kind);
	pthread_mutex_unlock(&st->lock);
}

static void findings_json(const struct fs_verdict *v, char *out, size_t len)
{
	size_t o = 0;
	int i;

	o += snprintf(out + o, len - o, "[");
	for (i = 0; i < v->nfind && o < len; i++) {
		char k[80], t[420];

		json_escape(k, sizeof(k), v->find[i].kind);
		json_escape(t, sizeof(t), v->find[i].title);
		o += snprintf(out + o, len - o, "%s{\"kind\":%s,\"title\":%s}", i ? "," : "", k, t);
	}
	if (o < len)
		snprintf(out + o, len - o, "]");
}

void sup_record_site(struct sup *s, struct sup_case *c, const struct fs_wrec *r)
{
	char *json = kcap_patch_site_json(s->o->run_id, c->h->name, r->nth, r->site,
					  strnlen(r->site, sizeof(r->site)), r->pid);

	if (!json)
		return;
	emit(s, json);
	free(json);
	pthread_mutex_lock(&s->st->lock);
	s->st->sites++;
	pthread_mutex_unlock(&s->st->lock);
}

/* One journal record per (case, N), and the live counters. */
void sup_record_step(struct sup *s, struct sup_case *c, const struct fs_wrec *r,
			const struct fs_verdict *v)
{
	struct sup_stats *st = s->st;
	char find[2048];
	struct jb b;
	int i;

	jb_begin(&b);
	jb_str(&b, "type", "step");
	jb_str(&b, "run", s->o->run_id);
	jb_str(&b, "case", c->h->name);
	jb_str(&b, "area", c->h->area);
	jb_uint(&b, "nth", r->nth);
	if (r->flags & WREC_LOST)
		jb_raw(&b, "fired", "null");	/* the worker died before it could tell */
	else
		jb_bool(&b, "fired", r->flags & WREC_FIRED);
	jb_int(&b, "ret", r->ret);
	jb_int(&b, "errno", r->err);
	jb_str(&b, "errno_name", r->err ? oracle_errno_name(r->err) : "");
	jb_str(&b, "verdict", fs_verdict_name(v->kind));
	findings_json(v, find, sizeof(find));
	jb_raw(&b, "findings", find);
	jb_bool(&b, "swallowed", v->swallowed);
	jb_bool(&b, "fd_leak", r->flags & WREC_FD_LEAK);
	if (r->flags & WREC_RETRIED) {
		jb_int(&b, "retry_ret", r->retry_ret);
		jb_str(&b, "retry_errno_name", r->retry_err ? oracle_errno_name(r->retry_err) : "");
	}
	if (r->flags & WREC_NONDET)
		jb_bool(&b, "nondeterministic", true);
	if (*v->reason)
		jb_str(&b, "reason", v->reason);
	jb_int(&b, "pid", r->pid);
	jb_double(&b, "t_ms", r->t_us / 1000.0);
	jb_int(&b, "ts", wall_ms());
	emit(s, jb_end(&b));

	c->steps++;
	if (r->flags & WREC_NONDET)
		c->nondet = true;
	if (v->kind == FS_FAIL)
		c->fails++;
	if (v->kind == FS_BROK)
		c->broks++;
	pthread_mutex_lock(&st->lock);
	st->steps++;
	st->fired += !!(r->flags & WREC_FIRED);
	st->swallowed += v->swallowed;
	switch (v->kind) {
	case FS_PASS: st->pass++; break;
	case FS_FAIL: st->fail++; break;
	case FS_BROK: st->brok++; break;
	case FS_CONF: st->conf++; break;
	}
	for (i = 0; i < v->nfind; i++)
		count_kind(st, v->find[i].kind);
	snprintf(st->current, sizeof(st->current), "%s nth=%u", c->h->name, r->nth);
	pthread_mutex_unlock(&st->lock);
}

void sup_record_case(struct sup *s, struct sup_case *c, const char *reason)
{
	struct jb b;

	snprintf(c->verdict, sizeof(c->verdict), "%s", fs_verdict_name(fs_case_verdict(
		 &(struct fs_case_tally){ .fails = c->fails, .kreports = c->kreports,
					  .broks = c->broks, .conf = c->conf })));
	jb_begin(&b);
	jb_str(&b, "type", "case");
	jb_str(&b, "run", s->o->run_id);
	jb_str(&b, "case", c->h->name);
	jb_str(&b, "area", c->h->area);
	jb_str(&b, "verdict", c->verdict);
	jb_uint(&b, "points", c->points);
	jb_uint(&b, "steps", c->steps);
	jb_uint(&b, "kernel_reports", c->kreports);
	jb_bool(&b, "nondeterministic", c->nondet);
	if (reason && *reason)
		jb_str(&b, "reason", reason);
	jb_int(&b, "ts", wall_ms());
	emit(s, jb_end(&b));
	sup_flush(s);
	pthread_mutex_lock(&s->st->lock);
	s->st->cases_done++;
	pthread_mutex_unlock(&s->st->lock);
}

unsigned long sup_read_taint(void)
{
	unsigned long t = 0;
	FILE *f = fopen("/proc/sys/kernel/tainted", "re");

	if (f) {
		if (fscanf(f, "%lu", &t) != 1)
			t = 0;
		fclose(f);
	}
	return t;
}

/*
 * A taint that appeared while the case ran, with no kernel report parsed
 * anywhere meanwhile, is itself a finding (the report may be unparseable).
 */
void sup_check_taint(struct sup *s, struct sup_case *c, unsigned long before,
			unsigned reports_before)
{
	/*
	 * Loading an out-of-tree or unsigned module taints (O, E: bits 12, 13)
	 * without anything being wrong.
	 */
	unsigned long now = sup_read_taint(), added = now & ~before & ~0x3000ul;
	char title[160];
	struct jb b;

	if (!added || kcap_reports(s->o->kcap) != reports_before)
		return;
	snprintf(title, sizeof(title), "kernel tainted (0x%lx) with no report in %s", added,
		 c->h->name);
	jb_begin(&b);
	jb_str(&b, "type", "report");
	jb_str(&b, "run", s->o->run_id);
	jb_str(&b, "case", c->h->name);
	jb_str(&b, "area", c->h->area);
	jb_uint(&b, "nth", 0);
	jb_str(&b, "attribution", "case");
	jb_str(&b, "kind", "taint");
	jb_str(&b, "title", title);
	jb_uint(&b, "taint", now);
	emit(s, jb_end(&b));
	sup_flush(s);
	c->kreports++;
	sup_count_finding(s->st, "taint");
}
