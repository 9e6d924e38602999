/* OUT/summary.txt: findings grouped by title with their first step and reproducer, verdict counts, fault points per case. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reports/summary.h"

/* One finding title: where it was first seen and how often. */
struct group {
	const char *title, *kind, *case_name;	/* the first step's */
	uint64_t nth;
	size_t steps;
	const char **cases;			/* distinct, in order of appearance */
	size_t ncases;
};

struct groups {
	struct group *g;
	size_t n, cap;
};

static int add_case(struct group *g, const char *case_name)
{
	const char **c;

	for (size_t i = 0; i < g->ncases; i++)
		if (!strcmp(g->cases[i], case_name))
			return 0;
	c = realloc(g->cases, (g->ncases + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	g->cases = c;
	g->cases[g->ncases++] = case_name;
	return 0;
}

/* Count one (title, step); a title seen twice in one step counts once (@seen_step). */
static int add(struct groups *gs, const char *kind, const char *title, const char *case_name,
	       uint64_t nth, const void *step, const void **last_step)
{
	struct group *g = NULL;
	size_t i;

	if (!*title)
		title = kind;
	for (i = 0; i < gs->n; i++)
		if (!strcmp(gs->g[i].title, title)) {
			g = &gs->g[i];
			break;
		}
	if (!g) {
		if (gs->n == gs->cap) {
			size_t cap = gs->cap ? gs->cap * 2 : 16;
			struct group *n = realloc(gs->g, cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			gs->g = n;
			gs->cap = cap;
		}
		g = &gs->g[gs->n++];
		memset(g, 0, sizeof(*g));
		g->title = title;
		g->kind = kind;
		g->case_name = case_name;
		g->nth = nth;
		last_step[g - gs->g] = NULL;
	}
	if (step && last_step[g - gs->g] == step)
		return 0;
	last_step[g - gs->g] = step;
	g->steps++;
	return add_case(g, *case_name ? case_name : "(unattributed)");
}

static int collect(const struct jread_journal *j, struct groups *gs)
{
	/* Per group, the step it was last counted for: sized for the worst case. */
	size_t most = 0, i, k;
	const void **last;
	int err = 0;

	for (i = 0; i < j->nsteps; i++)
		most += j->steps[i].nfindings + j->steps[i].nreports;
	most += j->norphans;
	last = calloc(most + 1, sizeof(*last));
	if (!last)
		return -ENOMEM;
	for (i = 0; i < j->nsteps && !err; i++) {
		const struct jread_step *s = &j->steps[i];

		for (k = 0; k < s->nfindings && !err; k++)
			err = add(gs, s->findings[k].kind, s->findings[k].title, s->case_name,
				  s->nth, s, last);
		for (k = 0; k < s->nreports && !err; k++)
			err = add(gs, s->reports[k].kind, s->reports[k].title, s->case_name,
				  s->nth, s, last);
	}
	for (i = 0; i < j->norphans && !err; i++)
		err = add(gs, j->orphans[i].kind, j->orphans[i].title, j->orphans[i].case_name,
			  j->orphans[i].nth, NULL, last);
	free(last);
	return err;
}

/* "repro/<case>-n<N>.sh" when the report wrote it (reports/repro), else NULL. */
static const char *repro_of(const struct summary_opts *o, const struct group *g, char *buf,
			    size_t len)
{
	char path[4096];
	struct stat sb;

	if (!o->out_dir || !*g->case_name || !g->nth)
		return NULL;
	snprintf(buf, len, "repro/%s-n%llu.sh", g->case_name, (unsigned long long)g->nth);
	snprintf(path, sizeof(path), "%s/%s", o->out_dir, buf);
	return stat(path, &sb) == 0 ? buf : NULL;
}

static void print_findings(FILE *f, const struct groups *gs, const struct summary_opts *o)
{
	char rbuf[300];

	fprintf(f, "\nFindings: %zu distinct\n", gs->n);
	for (size_t i = 0; i < gs->n; i++) {
		const struct group *g = &gs->g[i];
		const char *r = repro_of(o, g, rbuf, sizeof(rbuf));

		fprintf(f, "  [%s] %s\n", g->kind, g->title);
		if (*g->case_name && g->nth)
			fprintf(f, "      first: %s nth=%llu", g->case_name, (unsigned long long)g->nth);
		else if (*g->case_name)
			fprintf(f, "      first: %s (the case as a whole)", g->case_name);
		else
			fprintf(f, "      first: not attributed to a case");
		fprintf(f, "; %zu step%s in %zu case%s", g->steps, g->steps == 1 ? "" : "s",
			g->ncases, g->ncases == 1 ? "" : "s");
		for (size_t c = 0; c < g->ncases && c < 4; c++)
			fprintf(f, "%s%s", c ? ", " : ": ", g->cases[c]);
		if (g->ncases > 4)
			fprintf(f, " and %zu more", g->ncases - 4);
		fprintf(f, "\n      repro: %s\n", r ? r : "-");
	}
}

/* Steps and cases by verdict, in the LTP order. */
static void print_counts(FILE *f, const struct jread_journal *j)
{
	static const char *const v[] = { "PASS", "FAIL", "BROK", "CONF" };
	size_t steps[5] = { 0 }, cases[5] = { 0 }, fired = 0, swallowed = 0, reported = 0;
	size_t i, k;

	for (i = 0; i < j->nsteps; i++) {
		for (k = 0; k < 4 && strcmp(j->steps[i].verdict, v[k]); k++)
			;
		steps[k]++;
		fired += j->steps[i].fired;
		swallowed += j->steps[i].swallowed;
		reported += j->steps[i].nreports > 0;
	}
	for (i = 0; i < j->ncases; i++) {
		for (k = 0; k < 4 && strcmp(j->cases[i].verdict, v[k]); k++)
			;
		cases[k]++;
	}
	fprintf(f, "Steps: %zu (faults fired in %zu, swallowed %zu):", j->nsteps, fired,
		swallowed);
	for (k = 0; k < 4; k++)
		fprintf(f, " %s %zu", v[k], steps[k]);
	if (steps[4])
		fprintf(f, ", other %zu", steps[4]);
	if (reported)
		fprintf(f, "; %zu with a kernel report (failures in JUnit)", reported);
	fprintf(f, "\nCases: %zu:", j->ncases);
	for (k = 0; k < 4; k++)
		fprintf(f, " %s %zu", v[k], cases[k]);
	if (cases[4])
		fprintf(f, ", unfinished %zu", cases[4]);
	fputc('\n', f);
}

static int by_case_name(const void *a, const void *b)
{
	const struct jread_case *x = *(const struct jread_case *const *)a;
	const struct jread_case *y = *(const struct jread_case *const *)b;

	return strcmp(x->case_name, y->case_name);
}

static int print_cases(FILE *f, const struct jread_journal *j)
{
	const struct jread_case **c = calloc(j->ncases + 1, sizeof(*c));
	size_t i, w = 4;

	if (!c)
		return -ENOMEM;
	for (i = 0; i < j->ncases; i++) {
		c[i] = &j->cases[i];
		if (strlen(c[i]->case_name) > w)
			w = strlen(c[i]->case_name);
	}
	qsort(c, j->ncases, sizeof(*c), by_case_name);
	fprintf(f, "\nFault points per case:\n  %-*s  %-8s  %-7s  %6s  %6s  %s\n", (int)w, "case",
		"area", "verdict", "points", "steps", "note");
	for (i = 0; i < j->ncases; i++) {
		char note[400];
		size_t n;

		const char *p = note;

		snprintf(note, sizeof(note), "%s%s%s", c[i]->nondeterministic ?
			 "nondeterministic " : "", c[i]->reason,
			 c[i]->kernel_reports ? " (kernel reports)" : "");
		while (*p == ' ')
			p++;
		memmove(note, p, strlen(p) + 1);
		n = strlen(note);
		while (n && note[n - 1] == ' ')
			note[--n] = 0;
		fprintf(f, "  %-*s  %-8s  %-7s  %6llu  %6llu%s%s\n", (int)w, c[i]->case_name,
			c[i]->area, c[i]->verdict, (unsigned long long)c[i]->points,
			(unsigned long long)c[i]->steps, n ? "  " : "", note);
	}
	free(c);
	return 0;
}

int summary_print(FILE *f, const struct jread_journal *j, const struct summary_opts *o)
{
	struct groups gs = { 0 };
	size_t i;
	int err;

	for (i = 0; i < j->nruns; i++)
		fprintf(f, "faultsweep %s, run %s on kernel %s (faults: %s)\n",
			j->runs[i].version, j->runs[i].run, j->runs[i].kernel, j->runs[i].faults);
	if (!j->nruns)
		fprintf(f, "faultsweep: no run record in the journal\n");
	print_counts(f, j);
	for (i = 0; i < j->nnotes; i++)
		fprintf(f, "Note: %s\n", j->notes[i]);
	if (j->kmsg_gaps)
		fprintf(f, "Note: the kernel log overran %zu time%s: kernel reports may be missing\n",
			j->kmsg_gaps, j->kmsg_gaps == 1 ? "" : "s");
	if (j->lines_skipped)
		fprintf(f, "Note: %zu journal line%s could not be read (see the warnings)\n",
			j->lines_skipped, j->lines_skipped == 1 ? "" : "s");
	err = collect(j, &gs);
	if (!err) {
		print_findings(f, &gs, o);
		err = print_cases(f, j);
	}
	if (!err && o->cov) {
		fputc('\n', f);
		err = cov_summary_text(o->cov, f);
		err = err < 0 ? err : 0;
	}
	for (i = 0; i < gs.n; i++)
		free(gs.g[i].cases);
	free(gs.g);
	if (!err && ferror(f))
		err = -EIO;
	return err;
}

int summary_write(const struct jread_journal *j, const char *path, const struct summary_opts *o)
{
	FILE *f = fopen(path, "we");
	int err;

	if (!f)
		return -errno;
	err = summary_print(f, j, o);
	if (fclose(f) && !err)
		err = -errno;
	return err;
}
