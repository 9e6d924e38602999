/* The supervisor's records: step and case records to the journal (group commit), live counters, taint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/records.h"
#include "journal/run_journal.h"
#include "runner/capture/kcap.h"
#include "runner/sweep/sup_int.h"

/*
 * Taints that say nothing is wrong: loading an out-of-tree or an unsigned
 * module (TAINT_OOT_MODULE 'O', bit 12; TAINT_UNSIGNED_MODULE 'E', bit 13).
 */
#define TAINT_BENIGN (1ul << 12 | 1ul << 13)

/*
 * Group commit: the records a slot reads in one go are journaled with one
 * write(2). Nothing waits in memory longer than the records still in the
 * pipe would, so a panic loses no more than before. One batch per slot
 * thread; without memory for one, records go to the journal directly.
 */
static __thread struct journal *batch, *batch_of;

void sup_flush(struct sup *s)
{
	int err = batch ? journal_flush(batch) : 0;

	if (err)
		fprintf(stderr, "faultsweep: cannot write the journal: %s\n", strerror(-err));
}

static struct journal *out(struct sup *s)
{
	if (batch && batch_of != s->o->journal) {
		journal_close(batch);
		batch = NULL;
	}
	if (!batch && journal_batch_open(&batch, s->o->journal) == 0)
		batch_of = s->o->journal;
	return batch ? batch : s->o->journal;
}

void sup_record_note(struct sup *s, const char *text)
{
	run_journal_note(out(s), s->o->run_id, "%s", text);
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

void sup_record_site(struct sup *s, struct sup_case *c, const struct fs_wrec *r)
{
	if (kcap_write_patch_site(out(s), s->o->run_id, c->h->name, r->nth, r->site,
				  strnlen(r->site, sizeof(r->site)), r->pid))
		return;
	stats_site(s->st);
}

/* One journal record per (case, N), and the live counters. */
void sup_record_step(struct sup *s, struct sup_case *c, const struct fs_wrec *r,
			const struct fs_verdict *v)
{
	int i;

	jrec_step(out(s), &(struct jrec_step){
		.run = s->o->run_id, .case_name = c->h->name, .area = c->h->area, .nth = r->nth,
		/* The worker died before it could tell. */
		.fired = r->flags & WREC_LOST ? -1 : !!(r->flags & WREC_FIRED),
		.has_ret = true, .ret = r->ret, .err = r->err,
		.errno_name = r->err ? oracle_errno_name(r->err) : "",
		.verdict = v->kind, .findings = v->find, .nfindings = v->nfind,
		.swallowed = v->swallowed, .fd_leak = r->flags & WREC_FD_LEAK,
		.retried = r->flags & WREC_RETRIED, .retry_ret = r->retry_ret,
		.retry_errno_name = r->retry_err ? oracle_errno_name(r->retry_err) : "",
		.nondet = r->flags & WREC_NONDET, .reason = v->reason,
		.pid = r->pid, .t_ms = r->t_us / 1000.0,
	});

	c->steps++;
	if (r->flags & WREC_NONDET)
		c->nondet = true;
	if (v->kind == FS_FAIL)
		c->fails++;
	if (v->kind == FS_BROK)
		c->broks++;
	stats_step(s->st, c->h->name, r->nth, r->flags & WREC_FIRED, v->swallowed,
		   fs_verdict_name(v->kind));
	for (i = 0; i < v->nfind; i++)
		stats_kind(s->st, v->find[i].kind);
}

void sup_record_case(struct sup *s, struct sup_case *c, const char *reason)
{
	enum fs_verdict_kind v = fs_case_verdict(&(struct fs_case_tally){
		.fails = c->fails, .kreports = c->kreports, .broks = c->broks, .conf = c->conf });

	snprintf(c->verdict, sizeof(c->verdict), "%s", fs_verdict_name(v));
	jrec_case(out(s), &(struct jrec_case){
		.run = s->o->run_id, .case_name = c->h->name, .area = c->h->area, .verdict = v,
		.points = c->points, .steps = c->steps, .kernel_reports = c->kreports,
		.nondet = c->nondet, .reason = reason });
	sup_flush(s);
	stats_case_done(s->st);
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
	unsigned long now = sup_read_taint(), added = now & ~before & ~TAINT_BENIGN;
	char title[160];

	if (!added || kcap_reports(s->o->kcap) != reports_before)
		return;
	snprintf(title, sizeof(title), "kernel tainted (0x%lx) with no report in %s", added,
		 c->h->name);
	jrec_report(out(s), &(struct jrec_report){
		.run = s->o->run_id, .case_name = c->h->name, .area = c->h->area, .nth = 0,
		.attribution = "case", .kind = "taint", .title = title,
		.has_taint = true, .taint = now });
	sup_flush(s);
	c->kreports++;
	stats_finding(s->st, "taint");
}
