/* The record writers: each record type formatted here and nowhere else. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal/jjson.h"
#include "journal/records.h"

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The fields every record of a step starts with. */
static void step_head(struct jo *b, const char *type, const char *run, const char *case_name,
		      const char *area, unsigned nth)
{
	jo_begin(b, type);
	jo_str(b, "run", run);
	jo_str(b, "case", case_name);
	jo_str(b, "area", area);
	jo_int(b, "nth", nth);
}

/* [{kind, title}]: the one place a findings array is made. */
static json_t *findings(const struct fs_finding *f, unsigned n)
{
	json_t *a = json_array();
	unsigned i;

	for (i = 0; a && i < n; i++) {
		struct jo it;

		jo_obj(&it);
		jo_str(&it, "kind", f[i].kind);
		jo_str(&it, "title", f[i].title);
		if (it.err || json_array_append_new(a, it.o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* exec's own fields, after the common ones: the big ones last. */
static void exec_fields(struct jo *b, const struct jrec_exec_step *x)
{
	jo_int(b, "invocation", x->invocation);
	jo_str(b, "syscall", x->syscall);
	jo_str(b, "status", x->status);
	jo_bool(b, "status_differs", x->status_differs);
	if (x->has_callsite)
		jo_strs(b, "callsite", x->callsite, x->ncallsite);
	if (x->crashed) {
		struct jo c;

		jo_obj(&c);
		jo_int(&c, "pid", x->crash_pid);
		jo_str(&c, "signal", x->crash_signal);
		if (x->has_crash_frames)
			jo_strs(&c, "frames", x->crash_frames, x->ncrash_frames);
		if (c.err) {
			json_decref(c.o);
			c.o = NULL;
		}
		jo_set(b, "crash", c.o);
	}
	jo_str(b, "output", x->output);
}

int jrec_step(struct journal *j, const struct jrec_step *s)
{
	struct jo b;

	step_head(&b, "step", s->run, s->case_name, s->area, s->nth);
	if (s->fired < 0)
		jo_null(&b, "fired");	/* the worker died before it could tell */
	else
		jo_bool(&b, "fired", s->fired);
	if (s->has_ret) {
		jo_int(&b, "ret", s->ret);
		jo_int(&b, "errno", s->err);
		jo_str(&b, "errno_name", s->errno_name);
	}
	jo_str(&b, "verdict", fs_verdict_name(s->verdict));
	jo_set(&b, "findings", findings(s->findings, s->nfindings));
	if (!s->unfinished) {
		jo_bool(&b, "swallowed", s->swallowed);
		jo_bool(&b, "fd_leak", s->fd_leak);
	}
	if (s->retried) {
		jo_int(&b, "retry_ret", s->retry_ret);
		jo_str(&b, "retry_errno_name", s->retry_errno_name);
	}
	if (s->nondet)
		jo_bool(&b, "nondeterministic", true);
	if (s->reason && *s->reason)
		jo_str(&b, "reason", s->reason);
	if (s->console)
		jo_str(&b, "console", s->console);
	if (!s->unfinished) {
		jo_int(&b, "pid", s->pid);
		jo_ms(&b, "t_ms", s->t_ms);
	}
	jo_int(&b, "ts", wall_ms());
	if (s->exec)
		exec_fields(&b, s->exec);
	return journal_put(j, &b);
}

int jrec_case(struct journal *j, const struct jrec_case *c)
{
	struct jo b;

	jo_begin(&b, "case");
	jo_str(&b, "run", c->run);
	jo_str(&b, "case", c->case_name);
	jo_str(&b, "area", c->area);
	jo_str(&b, "verdict", fs_verdict_name(c->verdict));
	jo_int(&b, "points", c->points);
	jo_int(&b, "steps", c->steps);
	jo_int(&b, "kernel_reports", c->kernel_reports);
	jo_bool(&b, "nondeterministic", c->nondet);
	if (c->reason && *c->reason)
		jo_str(&b, "reason", c->reason);
	jo_int(&b, "ts", wall_ms());
	if (c->invocation) {
		jo_int(&b, "invocation", c->invocation);
		jo_str(&b, "syscall", c->syscall);
	}
	return journal_put(j, &b);
}

int jrec_report(struct journal *j, const struct jrec_report *r)
{
	const struct jrec_ktext *t = r->text;
	struct jo b;

	step_head(&b, "report", r->run, r->case_name, r->area, r->nth);
	jo_str(&b, "attribution", r->attribution);
	jo_str(&b, "kind", r->kind);
	jo_str(&b, "title", r->title);
	if (t) {
		char *raw = NULL;

		jo_str(&b, "guilty", t->guilty);
		if (t->file && *t->file) {
			jo_str(&b, "file", t->file);
			jo_int(&b, "line", t->line);
		}
		if (t->bug_type && *t->bug_type)
			jo_str(&b, "bug_type", t->bug_type);
		jo_int(&b, "pid", t->pid);
		jo_str(&b, "comm", t->comm);
		jo_int(&b, "seq", (int64_t)t->seq);
		jo_bool(&b, "complete", t->complete);
		jo_bool(&b, "panicked", t->panicked);
		/* Without memory for the note, the report goes without it rather than not at all. */
		if (t->note && *t->note && asprintf(&raw, "%s%s", or_empty(t->raw), t->note) < 0)
			raw = NULL;
		jo_str(&b, "raw", raw ? raw : t->raw);
		free(raw);
	}
	if (r->has_taint)
		jo_int(&b, "taint", (int64_t)r->taint);
	return journal_put(j, &b);
}

int jrec_site(struct journal *j, const struct jrec_site *s)
{
	struct jo b;

	step_head(&b, "site", s->run, s->case_name, s->area, s->nth);
	jo_str(&b, "attribution", s->attribution);
	jo_str(&b, "fault", s->fault);
	jo_str(&b, "site", s->site);
	jo_str(&b, "module", s->module);
	jo_strs(&b, "frames", s->frames, s->nframes);
	/* fail-nth-site's extras: raw addresses (when shown), size and gfp flags. */
	if (s->addrs) {
		json_t *a = json_array();
		unsigned i;

		for (i = 0; a && i < s->nframes; i++) {
			char hex[24];

			snprintf(hex, sizeof(hex), "0x%" PRIx64, s->addrs[i]);
			if (json_array_append_new(a, json_string(hex))) {
				json_decref(a);
				a = NULL;
			}
		}
		jo_set(&b, "addrs", a);
	}
	if (s->has_size)
		jo_int(&b, "size", s->size);
	if (s->gfp && *s->gfp)
		jo_str(&b, "gfp", s->gfp);
	jo_int(&b, "pid", s->pid);
	if (s->seq)
		jo_int(&b, "seq", (int64_t)s->seq);
	jo_bool(&b, "complete", s->complete);
	return journal_put(j, &b);
}

int jrec_module(struct journal *j, const struct jrec_module *m)
{
	char hex[24];
	struct jo b;

	jo_begin(&b, "module");
	jo_str(&b, "run", m->run);
	jo_str(&b, "name", m->name);
	snprintf(hex, sizeof(hex), "0x%" PRIx64, m->base);
	jo_str(&b, "base", hex);
	snprintf(hex, sizeof(hex), "0x%" PRIx64, m->text);
	jo_str(&b, "text", hex);
	jo_int(&b, "size", (int64_t)m->size);
	return journal_put(j, &b);
}

int jrec_kmsg_gap(struct journal *j, const char *run)
{
	struct jo b;

	jo_begin(&b, "kmsg-gap");
	jo_str(&b, "run", run);
	jo_str(&b, "note", "the kernel log ring overran: records were lost before they were read");
	return journal_put(j, &b);
}

int jrec_exec(struct journal *j, const struct jrec_exec *e)
{
	size_t argc = 0;
	struct jo b;

	while (e->argv && e->argv[argc])
		argc++;
	jo_begin(&b, "exec");
	jo_str(&b, "run", e->run);
	jo_str(&b, "name", e->name);
	jo_strs(&b, "command", e->argv, argc);
	jo_str(&b, "clean_status", e->clean_status);
	jo_ms(&b, "clean_ms", e->clean_ms);
	jo_int(&b, "invocations", e->invocations);
	jo_int(&b, "swept", e->swept);
	/* Last: a long enumeration is what a full record loses; the count above stays. */
	jo_strs(&b, "calls", e->calls, e->ncalls);
	return journal_put(j, &b);
}

int jrec_modcase(struct journal *j, const struct jrec_modcase *m)
{
	struct jo b;

	jo_begin(&b, "modcase");
	jo_str(&b, "run", m->run);
	jo_str(&b, "case", m->case_name);
	jo_str(&b, "kind", m->kind);
	jo_str(&b, "ko", m->ko);
	jo_str(&b, "module", m->module);
	jo_str(&b, "params", m->params);
	jo_str(&b, "vermagic", m->vermagic);
	jo_bool(&b, "scoped", m->scoped);
	return journal_put(j, &b);
}
