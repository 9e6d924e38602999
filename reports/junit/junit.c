/* Writes the JUnit XML report from the journal with libxml2's text writer. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>

#include "journal/verdict.h"
#include "reports/junit/junit.h"
#include "reports/junit/junit_text.h"
#include "reports/junit/junit_xml.h"

#define MAX_TEXT (64 * 1024)
#define MAX_ATTR (4 * 1024)

/*
 * One row becomes one testcase, or (collapse) one case's rows become one.
 * ROW_REPORT is a kernel report no step holds (struct jread_journal.orphans).
 */
enum { ROW_STEP, ROW_SETUP, ROW_SWEEP, ROW_REPORT };
enum { O_PASS, O_FAIL, O_ERROR, O_SKIP };

struct row {
	const char *area, *case_name;
	uint64_t nth;			/* ROW_REPORT: its place in the orphans */
	int kind;
	const struct jread_step *s;
	const struct jread_case *c;	/* the case record, NULL when none */
	const struct jread_report *kr;	/* ROW_REPORT */
	size_t num;			/* ROW_REPORT: 1, 2, … within its case */
};

struct unit {
	size_t first, n;		/* rows */
	struct fs_case_tally tally;	/* of its rows' outcomes */
	int outcome;
	double secs;
	int64_t ts;			/* the earliest step's, ms */
};

static const char *area_of(const char *a)
{
	return *a ? a : "unknown";
}

static int row_cmp(const void *pa, const void *pb)
{
	static const int rank[] = { [ROW_STEP] = 0, [ROW_SETUP] = 0, [ROW_SWEEP] = 1,
				    [ROW_REPORT] = 2 };
	const struct row *a = pa, *b = pb;
	int d = strcmp(a->area, b->area);

	if (!d)
		d = strcmp(a->case_name, b->case_name);
	if (!d)
		d = rank[a->kind] - rank[b->kind];
	if (!d)
		d = a->nth < b->nth ? -1 : a->nth > b->nth;
	return d;
}

static int step_name_cmp(const void *pa, const void *pb)
{
	const struct jread_step *const *a = pa, *const *b = pb;

	return strcmp((*a)->case_name, (*b)->case_name);
}

static int case_name_cmp(const void *pa, const void *pb)
{
	const struct jread_case *const *a = pa, *const *b = pb;

	return strcmp((*a)->case_name, (*b)->case_name);
}

/* bsearch() by name: the key is the name, the elements pointers to records. */
static int name_step_cmp(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct jread_step *const *)elem)->case_name);
}

static int name_case_cmp(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct jread_case *const *)elem)->case_name);
}

static int row_outcome(const struct row *r)
{
	const char *v;

	/* A kernel report fails its step whatever the verdict the worker gave. */
	if (r->kind == ROW_REPORT || (r->kind == ROW_STEP && r->s->nreports))
		return O_FAIL;
	if (r->kind == ROW_SWEEP)
		return O_ERROR;
	v = r->kind == ROW_STEP ? r->s->verdict : r->c->verdict;
	if (!strcmp(v, "PASS"))
		return O_PASS;
	if (!strcmp(v, "FAIL"))
		return O_FAIL;
	if (!strcmp(v, "CONF"))
		return O_SKIP;
	return O_ERROR;		/* BROK, or a verdict we do not know: never a silent pass */
}

static double row_secs(const struct row *r)
{
	double t = r->kind == ROW_STEP ? r->s->t_ms / 1000 : 0;

	return isfinite(t) && t > 0 ? (t < 1e7 ? t : 1e7) : 0;
}

/*
 * The area of an orphan report: its case's (from the case record or a
 * step), else its own; "unattributed" when it has no case.
 */
static const char *orphan_area(const struct jread_report *r, const struct jread_case **c,
			       const struct jread_step **bystep, size_t nsteps)
{
	const struct jread_step **s;

	if (!*r->case_name)
		return "unattributed";
	if (c && *(*c)->area)
		return (*c)->area;
	s = bsearch(r->case_name, bystep, nsteps, sizeof(*bystep), name_step_cmp);
	return area_of(s && *(*s)->area ? (*s)->area : r->area);
}

/*
 * One row per step, plus one per CONF/BROK case that has no step ("setup")
 * or whose breakage no step shows ("sweep"), plus one per orphan report;
 * sorted by area, case, nth.
 */
static struct row *make_rows(const struct jread_journal *j, size_t *nrows)
{
	const struct jread_step **bystep = calloc(j->nsteps + 1, sizeof(*bystep));
	const struct jread_case **bycase = calloc(j->ncases + 1, sizeof(*bycase));
	struct row *rows = calloc(j->nsteps + j->ncases + j->norphans + 1, sizeof(*rows));
	size_t i, k, n = 0;

	if (!bystep || !bycase || !rows) {
		free(rows);
		rows = NULL;
		goto out;
	}
	for (i = 0; i < j->nsteps; i++)
		bystep[i] = &j->steps[i];
	for (i = 0; i < j->ncases; i++)
		bycase[i] = &j->cases[i];
	qsort(bystep, j->nsteps, sizeof(*bystep), step_name_cmp);
	qsort(bycase, j->ncases, sizeof(*bycase), case_name_cmp);
	for (i = 0; i < j->nsteps; i++) {
		const struct jread_step *s = &j->steps[i];
		const struct jread_case **c = bsearch(s->case_name, bycase, j->ncases,
						      sizeof(*bycase), name_case_cmp);

		rows[n++] = (struct row){ area_of(s->area), s->case_name, s->nth, ROW_STEP, s,
					  c ? *c : NULL, NULL, 0 };
	}
	for (i = 0; i < j->ncases; i++) {
		const struct jread_case *c = &j->cases[i];
		const struct jread_step **s;
		bool broken_step = false;

		if (strcmp(c->verdict, "CONF") && strcmp(c->verdict, "BROK"))
			continue;
		s = bsearch(c->case_name, bystep, j->nsteps, sizeof(*bystep), name_step_cmp);
		if (s) {
			/* bsearch() finds any step of the case: walk back to the first. */
			while (s > bystep && !strcmp(s[-1]->case_name, c->case_name))
				s--;
			for (k = s - bystep; k < j->nsteps &&
			     !strcmp(bystep[k]->case_name, c->case_name); k++)
				broken_step |= !strcmp(bystep[k]->verdict, "BROK");
			if (strcmp(c->verdict, "BROK") || broken_step)
				continue;
		}
		rows[n++] = (struct row){ area_of(c->area), c->case_name, 0,
					  s ? ROW_SWEEP : ROW_SETUP, NULL, c, NULL, 0 };
	}
	for (i = 0; i < j->norphans; i++) {
		const struct jread_report *r = &j->orphans[i];
		const struct jread_case **c = *r->case_name ?
			bsearch(r->case_name, bycase, j->ncases, sizeof(*bycase), name_case_cmp) :
			NULL;

		rows[n++] = (struct row){ orphan_area(r, c, bystep, j->nsteps), r->case_name, i,
					  ROW_REPORT, NULL, c ? *c : NULL, r, 0 };
	}
	qsort(rows, n, sizeof(*rows), row_cmp);
	for (i = 0; i < n; i++)
		if (rows[i].kind == ROW_REPORT)
			rows[i].num = i && rows[i - 1].kind == ROW_REPORT &&
				!strcmp(rows[i - 1].area, rows[i].area) &&
				!strcmp(rows[i - 1].case_name, rows[i].case_name) ?
				rows[i - 1].num + 1 : 1;
	*nrows = n;
out:
	free(bystep);
	free(bycase);
	return rows;
}

static void verdict_elem(struct junit_out *x, int outcome, const char *type, const char *msg,
			 struct junit_buf *body)
{
	static const char *const elem[] = { NULL, "failure", "error", "skipped" };

	if (outcome != O_PASS) {
		junit_start(x, elem[outcome]);
		junit_attr(x, "type", type);
		junit_attr(x, "message", msg);
	}
	junit_buf_emit(x, body, NULL, outcome != O_PASS);
	if (outcome != O_PASS)
		junit_end(x);
}

/*
 * The first failing step's first finding (or else its first kernel report)
 * names a failure; a BROK/CONF its reason; an orphan report itself.
 */
static void row_verdict(struct junit_out *x, const struct row *r, int outcome,
			struct junit_buf *body)
{
	const struct jread_step *s = r->s;
	const char *type, *msg;

	if (!junit_buf_open(x, body))
		return;
	if (r->kind == ROW_REPORT) {
		type = junit_kind(r->kr);
		msg = junit_title(r->kr);
		fprintf(body->f, "%s\n", msg);
	} else if (r->kind != ROW_STEP) {
		type = r->kind == ROW_SWEEP ? "BROK" : r->c->verdict;
		msg = *r->c->reason ? r->c->reason : "no reason journaled";
	} else if (outcome == O_FAIL && (s->nfindings || s->nreports)) {
		type = s->nfindings ? s->findings[0].kind : junit_kind(&s->reports[0]);
		msg = s->nfindings ? s->findings[0].title : junit_title(&s->reports[0]);
		junit_titles(body->f, s, NULL);
	} else {
		type = s->verdict;
		msg = *s->reason ? s->reason : "no reason journaled";
	}
	verdict_elem(x, outcome, type, msg, body);
}

/* Orphan reports of no case go under "faultsweep.unattributed". */
static void classname(struct junit_out *x, const struct row *r, bool collapse)
{
	if (!*r->case_name && r->kind == ROW_REPORT)
		junit_classname(x, "unattributed", NULL);
	else
		junit_classname(x, r->area, collapse ? NULL : r->case_name);
}

static void one_testcase(struct junit_out *x, const struct row *r, int outcome, double secs)
{
	struct junit_buf b;
	char name[48];

	if (r->kind == ROW_STEP)
		snprintf(name, sizeof(name), "nth=%" PRIu64, r->nth);
	else if (r->kind == ROW_REPORT)
		snprintf(name, sizeof(name), "kernel-report-%zu", r->num);
	junit_start(x, "testcase");
	classname(x, r, false);
	junit_attr(x, "name", r->kind == ROW_STEP || r->kind == ROW_REPORT ? name :
		   r->kind == ROW_SETUP ? "setup" : "sweep");
	junit_attrf(x, "time", "%.3f", secs);
	row_verdict(x, r, outcome, &b);
	if (junit_buf_open(x, &b)) {
		if (r->kind == ROW_STEP)
			junit_step_out(b.f, r->s);
		else if (r->kind == ROW_REPORT)
			junit_report_out(b.f, r->kr);
		else
			fprintf(b.f, "verdict=%s\nreason=%s\njournal=%s:%lu\n", r->c->verdict,
				r->c->reason, r->c->file ? r->c->file : "", r->c->line);
		junit_buf_emit(x, &b, "system-out", true);
	}
	junit_end(x);
}

static void step_line(FILE *f, const struct row *r)
{
	if (r->kind == ROW_STEP)
		junit_step_line(f, r->s);
	else if (r->kind == ROW_REPORT)
		fprintf(f, "kernel-report-%zu: %s\n", r->num, junit_title(r->kr));
	else
		fprintf(f, "%s: verdict=%s reason=%s\n", r->kind == ROW_SETUP ? "setup" : "sweep",
			r->c->verdict, r->c->reason);
}

/* --junit-collapse: the worst outcome names the testcase, every step of it is listed. */
static void collapsed_testcase(struct junit_out *x, const struct row *rows, const struct unit *u)
{
	const struct row *r0 = &rows[u->first], *worst = NULL;
	const struct jread_case *c = r0->c;
	const char *type = "", *msg = "";
	struct junit_buf body, so;
	size_t i;

	junit_start(x, "testcase");
	classname(x, r0, true);
	/* The unattributed reports of a run become one testcase. */
	junit_attr(x, "name", *r0->case_name ? r0->case_name : "kernel-reports");
	junit_attrf(x, "time", "%.3f", u->secs);
	if (!junit_buf_open(x, &body))
		return;
	for (i = u->first; i < u->first + u->n; i++) {
		const struct row *r = &rows[i];
		char pfx[48];

		if (row_outcome(r) != u->outcome)
			continue;
		if (!worst)
			worst = r;
		if (r->kind == ROW_REPORT) {
			fprintf(body.f, "kernel-report-%zu: %s\n", r->num, junit_title(r->kr));
		} else if (r->kind != ROW_STEP) {
			fprintf(body.f, "%s: %s\n", r->kind == ROW_SETUP ? "setup" : "sweep",
				r->c->reason);
		} else if (u->outcome == O_FAIL && (r->s->nfindings || r->s->nreports)) {
			snprintf(pfx, sizeof(pfx), "nth=%" PRIu64 ": ", r->nth);
			junit_titles(body.f, r->s, pfx);
		} else {
			fprintf(body.f, "nth=%" PRIu64 ": %s\n", r->nth,
				*r->s->reason ? r->s->reason : r->s->verdict);
		}
	}
	if (worst && worst->kind == ROW_REPORT) {
		type = junit_kind(worst->kr);
		msg = junit_title(worst->kr);
	} else if (worst && worst->kind != ROW_STEP) {
		type = worst->kind == ROW_SWEEP ? "BROK" : worst->c->verdict;
		msg = worst->c->reason;
	} else if (worst && u->outcome == O_FAIL && worst->s->nfindings) {
		type = worst->s->findings[0].kind;
		msg = worst->s->findings[0].title;
	} else if (worst && u->outcome == O_FAIL && worst->s->nreports) {
		type = junit_kind(&worst->s->reports[0]);
		msg = junit_title(&worst->s->reports[0]);
	} else if (worst) {
		type = worst->s->verdict;
		msg = worst->s->reason;
	}
	verdict_elem(x, u->outcome, type, *msg ? msg : "no reason journaled", &body);
	if (junit_buf_open(x, &so)) {
		if (c)
			fprintf(so.f, "verdict=%s points=%" PRIu64 " steps=%" PRIu64 "%s",
				c->verdict, c->points, c->steps,
				c->nondeterministic ? " nondeterministic" : "");
		if (c && c->kernel_reports)
			fprintf(so.f, " kernel_reports=%" PRIu64, c->kernel_reports);
		if (c)
			fputc('\n', so.f);
		for (i = u->first; i < u->first + u->n; i++)
			step_line(so.f, &rows[i]);
		for (i = u->first; i < u->first + u->n; i++) {
			if (rows[i].kind == ROW_REPORT) {
				fprintf(so.f, "\n=== kernel-report-%zu ===\n", rows[i].num);
				junit_report_out(so.f, rows[i].kr);
			}
			if (rows[i].kind != ROW_STEP || row_outcome(&rows[i]) == O_PASS)
				continue;
			fprintf(so.f, "\n=== nth=%" PRIu64 " ===\n", rows[i].nth);
			junit_step_out(so.f, rows[i].s);
		}
		junit_buf_emit(x, &so, "system-out", true);
	}
	junit_end(x);
}

static void properties(struct junit_out *x, const struct jread_journal *j)
{
	size_t i;
	char *v;

	if (!j->nruns && !j->nfiles && !j->kmsg_gaps)
		return;
	junit_start(x, "properties");
	/* Lost kernel log: a report may be missing from every testsuite alike. */
	if (j->kmsg_gaps) {
		char gaps[128];

		snprintf(gaps, sizeof(gaps), "%zu: the kernel log overran before it was read, "
			 "kernel reports may be missing", j->kmsg_gaps);
		junit_start(x, "property");
		junit_attr(x, "name", "faultsweep.kmsg-gaps");
		junit_attr(x, "value", gaps);
		junit_end(x);
	}
	for (i = 0; i < j->nruns && !x->err; i++) {
		const struct jread_run *r = &j->runs[i];

		if (asprintf(&v, "id=%s kernel=%s version=%s faults=%s jobs=%" PRIu64, r->run,
			     r->kernel, r->version, r->faults, r->jobs) < 0) {
			x->err = -ENOMEM;
			return;
		}
		junit_start(x, "property");
		junit_attr(x, "name", "faultsweep.run");
		junit_attr(x, "value", v);
		junit_end(x);
		free(v);
	}
	for (i = 0; i < j->nfiles; i++) {
		junit_start(x, "property");
		junit_attr(x, "name", "faultsweep.journal");
		junit_attr(x, "value", j->files[i]);
		junit_end(x);
	}
	junit_end(x);
}

/* When a testsuite started: its first step's wall clock (ms), in UTC. */
static void timestamp(struct junit_out *x, int64_t ts)
{
	time_t t = ts / 1000;
	struct tm tm;
	char buf[32];

	if (ts > 0 && gmtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm))
		junit_attr(x, "timestamp", buf);
}

static int64_t earliest(int64_t a, int64_t b)
{
	return a <= 0 ? b : b <= 0 ? a : a < b ? a : b;
}

/* A row's outcome counted as the case verdict counts a step's (journal/verdict.h). */
static void tally_add(struct fs_case_tally *t, int oc)
{
	t->fails += oc == O_FAIL;
	t->broks += oc == O_ERROR;
	t->conf |= oc == O_SKIP;
}

static int tally_outcome(const struct fs_case_tally *t)
{
	switch (fs_case_verdict(t)) {
	case FS_FAIL: return O_FAIL;
	case FS_BROK: return O_ERROR;
	case FS_CONF: return O_SKIP;
	default: return O_PASS;
	}
}

/*
 * Group the rows into testcases and judge each; returns the number of
 * units. A collapsed testcase is judged as its case's verdict is: FAIL over
 * BROK over CONF over PASS.
 */
static size_t make_units(const struct row *rows, size_t nrows, bool collapse, struct unit *u)
{
	size_t i, n = 0;

	for (i = 0; i < nrows; i++) {
		int oc = row_outcome(&rows[i]);
		int64_t ts = rows[i].kind == ROW_STEP ? rows[i].s->ts : 0;

		if (collapse && n && !strcmp(rows[i].area, rows[u[n - 1].first].area) &&
		    !strcmp(rows[i].case_name, rows[u[n - 1].first].case_name)) {
			tally_add(&u[n - 1].tally, oc);
			u[n - 1].outcome = tally_outcome(&u[n - 1].tally);
			u[n - 1].n++;
			u[n - 1].secs += row_secs(&rows[i]);
			u[n - 1].ts = earliest(u[n - 1].ts, ts);
			continue;
		}
		u[n] = (struct unit){ .first = i, .n = 1, .secs = row_secs(&rows[i]), .ts = ts };
		tally_add(&u[n].tally, oc);
		u[n].outcome = tally_outcome(&u[n].tally);
		n++;
	}
	return n;
}

static void write_report(struct junit_out *x, const struct jread_journal *j, const struct row *rows,
			 const struct unit *u, size_t nunits, bool collapse,
			 struct junit_stats *st)
{
	size_t i, a, count[4] = { 0 };
	double total = 0;

	for (i = 0; i < nunits; i++) {
		count[u[i].outcome]++;
		total += u[i].secs;
	}
	st->tests = nunits;
	st->failures = count[O_FAIL];
	st->errors = count[O_ERROR];
	st->skipped = count[O_SKIP];
	junit_check(x, xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL));
	junit_start(x, "testsuites");
	junit_attr(x, "name", "faultsweep");
	junit_attrf(x, "tests", "%zu", nunits);
	junit_attrf(x, "failures", "%zu", count[O_FAIL]);
	junit_attrf(x, "errors", "%zu", count[O_ERROR]);
	junit_attrf(x, "time", "%.3f", total);
	for (a = 0; a < nunits && !x->err; ) {
		const char *area = rows[u[a].first].area;
		size_t e, c[4] = { 0 };
		double secs = 0;
		int64_t ts = 0;

		for (e = a; e < nunits && !strcmp(rows[u[e].first].area, area); e++) {
			c[u[e].outcome]++;
			secs += u[e].secs;
			ts = earliest(ts, u[e].ts);
		}
		junit_start(x, "testsuite");
		junit_attr(x, "name", area);
		junit_attrf(x, "tests", "%zu", e - a);
		junit_attrf(x, "failures", "%zu", c[O_FAIL]);
		junit_attrf(x, "errors", "%zu", c[O_ERROR]);
		junit_attrf(x, "skipped", "%zu", c[O_SKIP]);
		junit_attrf(x, "time", "%.3f", secs);
		timestamp(x, ts);
		properties(x, j);
		for (i = a; i < e && !x->err; i++) {
			if (collapse)
				collapsed_testcase(x, rows, &u[i]);
			else
				one_testcase(x, &rows[u[i].first], u[i].outcome, u[i].secs);
		}
		junit_end(x);
		a = e;
	}
	junit_end(x);
	if (!x->err)
		junit_check(x, xmlTextWriterEndDocument(x->w));
}

int junit_write(const struct jread_journal *j, const char *path, const struct junit_opts *o)
{
	static const struct junit_opts defaults;
	struct junit_out x = { 0 };
	struct junit_stats st;
	struct unit *units = NULL;
	struct row *rows;
	size_t nrows = 0, nunits;
	xmlOutputBufferPtr ob;
	char *tmp = NULL;
	FILE *f = NULL;
	int err;

	if (!o)
		o = &defaults;
	x.max_text = o->max_text ? o->max_text : MAX_TEXT;
	x.max_attr = o->max_attr ? o->max_attr : MAX_ATTR;
	rows = make_rows(j, &nrows);
	units = calloc(nrows + 1, sizeof(*units));
	if (!rows || !units || asprintf(&tmp, "%s.tmp.%d", path, (int)getpid()) < 0) {
		tmp = NULL;
		err = -ENOMEM;
		goto out;
	}
	nunits = make_units(rows, nrows, o->collapse, units);
	f = fopen(tmp, "we");
	if (!f) {
		err = -errno;
		goto out;
	}
	ob = xmlOutputBufferCreateFile(f, NULL);
	x.w = ob ? xmlNewTextWriter(ob) : NULL;
	if (!x.w) {
		if (ob)
			xmlOutputBufferClose(ob);
		err = -ENOMEM;
		goto out;
	}
	xmlTextWriterSetIndent(x.w, 1);
	xmlTextWriterSetIndentString(x.w, BAD_CAST "  ");
	write_report(&x, j, rows, units, nunits, o->collapse, &st);
	xmlFreeTextWriter(x.w);		/* flushes into @f, which it does not close */
	err = x.err;
	if (ferror(f) && !err)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	f = NULL;
	if (!err && rename(tmp, path))
		err = -errno;
	if (!err && o->stats)
		*o->stats = st;
out:
	if (f)
		fclose(f);
	if (tmp && err)
		unlink(tmp);
	free(tmp);
	free(units);
	free(rows);
	return err;
}
