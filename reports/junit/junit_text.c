/* The plain text of the JUnit report: failure bodies and system-out, built with stdio. */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "reports/junit/junit_text.h"

const char *junit_kind(const struct jread_report *r)
{
	return *r->kind ? r->kind : "kernel-report";
}

const char *junit_title(const struct jread_report *r)
{
	return *r->title ? r->title : junit_kind(r);
}

void junit_titles(FILE *f, const struct jread_step *s, const char *prefix)
{
	size_t i, k;

	for (i = 0; i < s->nfindings; i++)
		fprintf(f, "%s%s\n", prefix ? prefix : "", s->findings[i].title);
	for (i = 0; i < s->nreports; i++) {
		const char *t = junit_title(&s->reports[i]);
		bool dup = false;

		/* An oracle may have made a finding of the same report. */
		for (k = 0; k < s->nfindings && !dup; k++)
			dup = !strcmp(s->findings[k].title, t);
		if (!dup)
			fprintf(f, "%s%s\n", prefix ? prefix : "", t);
	}
}

/* "key=value" for a site or a frame: a string ("func+0x12/0x40") or an object as JSON. */
static void print_val(FILE *f, const char *key, const struct jread_val *v)
{
	if (!v || v->type == JREAD_NULL)
		return;
	fprintf(f, "%s=", key);
	if (v->type == JREAD_STR)
		fputs(v->s, f);
	else
		jread_fprint(f, v);
	fputc('\n', f);
}

void junit_report_out(FILE *f, const struct jread_report *r)
{
	const struct jread_val *o = r->rec;
	const char *src = jread_str(jread_get(o, "file")), *bug = jread_str(jread_get(o, "bug_type"));
	const char *comm = jread_str(jread_get(o, "comm"));

	fprintf(f, "--- %s: %s\n", r->kind, r->title);
	/* A record of its own, not an item of a step: say how the runner placed it. */
	if (*jread_str(jread_get(o, "type"))) {
		fprintf(f, "case=%s nth=%" PRIu64 " attribution=%s",
			*r->case_name ? r->case_name : "(none)", r->nth,
			*r->attribution ? r->attribution : "none");
		if (r->pid > 0)
			fprintf(f, " pid=%" PRId64, r->pid);
		fprintf(f, "%s%s%s journal=%s:%lu\n", *comm ? " comm=" : "", comm,
			r->panicked ? " panicked" : "", r->file ? r->file : "", r->line);
	}
	print_val(f, "guilty", r->guilty);
	print_val(f, "site", r->site);
	if (*src)
		fprintf(f, "source=%s:%" PRId64 "\n", src, jread_int(jread_get(o, "line")));
	if (*bug)
		fprintf(f, "bug_type=%s\n", bug);
	fputs(r->raw, f);
	if (*r->raw && r->raw[strlen(r->raw) - 1] != '\n')
		fputc('\n', f);
}

/* One frame a line: "KEY=frame". */
static void print_frames(FILE *f, const char *key, const struct jread_val *v)
{
	size_t i;

	for (i = 0; v && v->type == JREAD_ARR && i < v->n; i++)
		fprintf(f, "%s=%s\n", key, jread_str(&v->items[i]));
}

/* A `faultsweep exec` step: CMD's status, where it made the call, its crash, its output. */
static void exec_out(FILE *f, const struct jread_step *s)
{
	const struct jread_val *sys = jread_get(&s->rec, "syscall"), *crash;

	if (!sys)
		return;
	fprintf(f, "invocation=%" PRId64 " syscall=%s status=%s%s\n",
		jread_int(jread_get(&s->rec, "invocation")), jread_str(sys),
		jread_str(jread_get(&s->rec, "status")),
		jread_bool(jread_get(&s->rec, "status_differs")) ? " (differs from the clean run)" : "");
	print_frames(f, "callsite", jread_get(&s->rec, "callsite"));
	crash = jread_get(&s->rec, "crash");
	if (crash) {
		fprintf(f, "crash=%s pid=%" PRId64 "\n", jread_str(jread_get(crash, "signal")),
			jread_int(jread_get(crash, "pid")));
		print_frames(f, "crash_frame", jread_get(crash, "frames"));
	}
	print_val(f, "output", jread_get(&s->rec, "output"));
}

void junit_step_out(FILE *f, const struct jread_step *s)
{
	size_t i;

	/* A step journaled after the kernel died has no call outcome. */
	if (s->has_ret) {
		if (*s->errno_name)
			fprintf(f, "errno=%s\n", s->errno_name);
		else
			fprintf(f, "errno=%" PRId64 "\n", s->err);
		fprintf(f, "ret=%" PRId64 "\n", s->ret);
	}
	fprintf(f, "fired=%s\n", s->fired ? "yes" : "no");
	/* As the retry oracle judges it: the same call again must not fail. */
	if (s->retried)
		fprintf(f, "retry=%s ret=%" PRId64 " errno=%s\n",
			s->retry_ret < 0 ? "failed" : "ok",
			s->retry_ret, *s->retry_errno_name ? s->retry_errno_name : "0");
	if (s->fd_leak)
		fputs("fd_leak=yes\n", f);
	if (s->swallowed)
		fputs("swallowed=yes\n", f);
	if (s->nondeterministic)
		fputs("nondeterministic=yes\n", f);
	print_val(f, "site", jread_get(&s->rec, "site"));
	if (s->site) {
		const char *mod = jread_str(jread_get(s->site, "module"));

		fprintf(f, "fault_site=%s%s%s%s fault=%s\n", jread_str(jread_get(s->site, "site")),
			*mod ? " [" : "", mod, *mod ? "]" : "",
			jread_str(jread_get(s->site, "fault")));
	}
	if (*s->reason)
		fprintf(f, "reason=%s\n", s->reason);
	exec_out(f, s);
	if (*s->console)
		fprintf(f, "console=%s\n", s->console);
	fprintf(f, "journal=%s:%lu\n", s->file ? s->file : "", s->line);
	for (i = 0; i < s->nreports; i++) {
		fputc('\n', f);
		junit_report_out(f, &s->reports[i]);
	}
}

void junit_step_line(FILE *f, const struct jread_step *s)
{
	fprintf(f, "nth=%" PRIu64 " verdict=%s", s->nth, s->verdict);
	if (s->has_ret)
		fprintf(f, " errno=%s ret=%" PRId64, *s->errno_name ? s->errno_name : "0", s->ret);
	if (s->nfindings)
		fputs(" findings", f);
	if (s->nreports)
		fprintf(f, " kernel_reports=%zu", s->nreports);
	fputc('\n', f);
}
