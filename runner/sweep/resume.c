/* Reads an earlier journal so a run continues each case where it stopped. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "journal/jread.h"
#include "runner/sweep/resume.h"

static struct sup_case *find(struct sup_case *cases, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cases[i].h->name, name))
			return &cases[i];
	return NULL;
}

int resume_load(const char *path, struct sup_case *cases, size_t n)
{
	struct jread_journal j = { 0 };	/* warns on a cut or garbled line, with file:line */
	struct sup_case *c;
	int err, records = 0;
	size_t k;

	err = jread_load(&j, path);
	if (err < 0) {
		jread_free(&j);
		return err == -ENOENT ? 0 : err;
	}
	for (k = 0; k < j.ncases; k++) {
		c = find(cases, n, j.cases[k].case_name);
		if (!c)
			continue;
		records++;
		c->done = true;
		if (*j.cases[k].verdict)
			snprintf(c->verdict, sizeof(c->verdict), "%s", j.cases[k].verdict);
		c->points = j.cases[k].points;
	}
	for (k = 0; k < j.nsteps; k++) {
		c = find(cases, n, j.steps[k].case_name);
		if (!c)
			continue;
		records++;
		if (j.steps[k].nth + 1 > c->from)
			c->from = j.steps[k].nth + 1;
		if (c->done)
			continue;
		/* The case goes on: its verdict must count the steps before the stop too. */
		c->steps++;
		c->fails += !strcmp(j.steps[k].verdict, "FAIL");
		c->broks += !strcmp(j.steps[k].verdict, "BROK");
		c->kreports += j.steps[k].nreports - j.steps[k].nreports_own;
		c->nondet |= j.steps[k].nondeterministic;
	}
	jread_free(&j);
	return records;
}
