/*
 * Surviving a dead kernel: after the guest of `run --vm` panicked, hung or
 * vanished, blame the step in flight (journal + console) and let the caller
 * boot a fresh VM that resumes at the next N.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal/journal.h"
#include "journal/jread.h"
#include "klog/kreport.h"
#include "runner/base/exitcodes.h"
#include "runner/vm/vmresume.h"

struct jcase {
	char name[128], area[32];
	unsigned long last_nth, pid;
	unsigned long ts;
	int done;
};

/* The entry of @name in @cs, added when new; -1 when @cs is full. */
static int entry(struct jcase *cs, int *n, int max, const char *name, const char *area)
{
	int i;

	for (i = 0; i < *n && strcmp(cs[i].name, name); i++)
		;
	if (i == *n) {
		if (*n == max)
			return -1;
		memset(&cs[i], 0, sizeof(cs[i]));
		snprintf(cs[i].name, sizeof(cs[i].name), "%s", name);
		(*n)++;
	}
	if (*area)
		snprintf(cs[i].area, sizeof(cs[i].area), "%s", area);
	return i;
}

/* The cases of the journal with their last step and whether they finished; returns how many. */
static int scan(const char *journal, struct jcase *cs, int max)
{
	struct jread_journal j = { .quiet = true };	/* a cut last line is expected here */
	int n = 0, i;
	size_t k;

	if (jread_load(&j, journal) < 0)
		return 0;
	for (k = 0; k < j.nsteps; k++) {
		const struct jread_step *s = &j.steps[k];

		i = entry(cs, &n, max, s->case_name, s->area);
		if (i >= 0 && s->nth >= cs[i].last_nth) {
			cs[i].last_nth = s->nth;
			cs[i].pid = s->pid > 0 ? (unsigned long)s->pid : 0;
			cs[i].ts = s->ts > 0 ? (unsigned long)s->ts : 0;
		}
	}
	for (k = 0; k < j.ncases; k++) {
		i = entry(cs, &n, max, j.cases[k].case_name, j.cases[k].area);
		if (i >= 0)
			cs[i].done = 1;
	}
	jread_free(&j);
	return n;
}

/* The report that killed the guest, from its console. Caller frees. */
static struct kreport *console_report(const char *console)
{
	struct kreport_parser *p = kreport_new();
	struct kreport *r, *best = NULL;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if (!p)
		return NULL;
	f = fopen(console, "re");
	if (f) {
		while (getline(&line, &cap, f) > 0)
			kreport_feed(p, line, 0, 0);
		fclose(f);
	}
	free(line);
	kreport_flush(p);
	/* The last report wins: it is the one the panic followed. */
	while ((r = kreport_next(p))) {
		kreport_free(best);
		best = r;
	}
	kreport_destroy(p);
	return best;
}

int vmr_record_crash(const char *out, int rc, const char *console_copy)
{
	static struct jcase cs[512];
	char journal[4200], title[400], find[1000], esc_title[900];
	struct kreport *r = NULL;
	struct journal *j;
	const char *kind;
	int n, i, culprit = -1;
	struct jb *b;

	snprintf(journal, sizeof(journal), "%s/journal.jsonl", out);
	n = scan(journal, cs, 512);
	if (rc == FS_EXIT_VM_PANIC)
		r = console_report(console_copy);
	/* The unfinished case whose worker printed the report; else the most recent. */
	for (i = 0; r && r->pid > 0 && i < n; i++)
		if (!cs[i].done && cs[i].pid == (unsigned long)r->pid)
			culprit = i;
	for (i = 0; culprit < 0 && i < n; i++)
		if (!cs[i].done && (culprit < 0 || cs[i].ts > cs[culprit].ts))
			culprit = i;
	if (culprit < 0) {
		kreport_free(r);
		return -ENOENT;
	}
	switch (rc) {
	case FS_EXIT_VM_PANIC: kind = "kernel-panic"; break;
	case FS_EXIT_VM_TIMEOUT: kind = "kernel-hang"; break;
	default: kind = "vm-lost"; break;
	}
	if (r && *r->title)
		snprintf(title, sizeof(title), "%s: %s", kind, r->title);
	else
		snprintf(title, sizeof(title), "%s: the guest died during %s", kind, cs[culprit].name);
	json_escape(esc_title, sizeof(esc_title), title);
	snprintf(find, sizeof(find), "[{\"kind\":\"%s\",\"title\":%s}]", kind, esc_title);

	if (journal_open(&j, journal, true)) {
		kreport_free(r);
		return -EIO;
	}
	b = malloc(sizeof(*b));
	if (b) {
		jb_begin(b);
		jb_str(b, "type", "step");
		jb_str(b, "case", cs[culprit].name);
		jb_str(b, "area", cs[culprit].area);
		jb_uint(b, "nth", cs[culprit].last_nth + 1);
		jb_bool(b, "fired", true);
		jb_str(b, "verdict", "FAIL");
		jb_raw(b, "findings", find);
		jb_str(b, "reason", "the kernel died during this step; the sweep resumed in a new VM");
		jb_str(b, "console", console_copy);
		jb_int(b, "ts", (int64_t)time(NULL) * 1000);
		journal_write(j, jb_end(b));
		if (r) {
			jb_begin(b);
			jb_str(b, "type", "report");
			jb_str(b, "case", cs[culprit].name);
			jb_str(b, "area", cs[culprit].area);
			jb_uint(b, "nth", cs[culprit].last_nth + 1);
			jb_str(b, "attribution", r->pid > 0 && cs[culprit].pid == (unsigned long)r->pid ?
			       "pid" : "time");
			jb_str(b, "kind", kreport_kind_str(r->kind));
			jb_str(b, "title", r->title);
			jb_str(b, "guilty", r->guilty.func);
			jb_int(b, "pid", r->pid);
			jb_bool(b, "panicked", true);
			if (r->raw && r->raw_len > JOURNAL_REPORT_RAW_MAX)
				r->raw[JOURNAL_REPORT_RAW_MAX] = 0;
			jb_str(b, "raw", r->raw ? r->raw : "");
			journal_write(j, jb_end(b));
		}
		free(b);
	}
	journal_close(j);
	fprintf(stderr, "faultsweep run: %s at %s nth=%lu; console kept in %s; resuming in a new VM\n",
		title, cs[culprit].name, cs[culprit].last_nth + 1, console_copy);
	kreport_free(r);
	return 0;
}
