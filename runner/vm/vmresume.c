/*
 * Surviving a dead kernel: after the guest of `run --vm` panicked, hung or
 * vanished, blame the step in flight (journal + console) and let the caller
 * boot a fresh VM that resumes at the next N.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/jread.h"
#include "journal/records.h"
#include "klog/kreport.h"
#include "runner/base/exitcodes.h"
#include "runner/capture/kcap.h"
#include "runner/vm/vmresume.h"

struct jcase {
	char name[128], area[32], run[64];
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
			snprintf(cs[i].run, sizeof(cs[i].run), "%s", s->run);
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
	char journal[4200];
	struct fs_finding find = { "", "" };
	struct kreport *r = NULL;
	struct journal *j;
	const char *kind;
	int n, i, culprit = -1;

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
	snprintf(find.kind, sizeof(find.kind), "%s", kind);
	if (r && *r->title)
		snprintf(find.title, sizeof(find.title), "%s: %s", kind, r->title);
	else
		snprintf(find.title, sizeof(find.title), "%s: the guest died during %s", kind,
			 cs[culprit].name);

	if (journal_open(&j, journal, true)) {
		kreport_free(r);
		return -EIO;
	}
	jrec_step(j, &(struct jrec_step){
		.run = cs[culprit].run, .case_name = cs[culprit].name, .area = cs[culprit].area,
		.nth = cs[culprit].last_nth + 1, .fired = 1, .verdict = FS_FAIL,
		.findings = &find, .nfindings = 1,
		.reason = "the kernel died during this step; the sweep resumed in a new VM",
		.unfinished = true, .console = console_copy,
	});
	if (r) {
		r->panicked = true;
		kcap_write_report(j, cs[culprit].run, cs[culprit].name, cs[culprit].area,
				  cs[culprit].last_nth + 1,
				  r->pid > 0 && cs[culprit].pid == (unsigned long)r->pid ? "pid" : "time",
				  r, NULL);
	}
	journal_close(j);
	fprintf(stderr, "faultsweep run: %s at %s nth=%lu; console kept in %s; resuming in a new VM\n",
		find.title, cs[culprit].name, cs[culprit].last_nth + 1, console_copy);
	kreport_free(r);
	return 0;
}
