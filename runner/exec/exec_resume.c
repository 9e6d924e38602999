/* exec --resume: the finished invocations and the last N of each, from the journal. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal/jread.h"
#include "runner/exec/exec_resume.h"

static struct exec_resume_case *entry(struct exec_resume *r, const char *name)
{
	struct exec_resume_case *c;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->c[i].name, name))
			return &r->c[i];
	c = realloc(r->c, (r->n + 1) * sizeof(*c));
	if (!c)
		return NULL;
	r->c = c;
	c = &r->c[r->n];
	memset(c, 0, sizeof(*c));
	c->name = strdup(name);
	if (!c->name)
		return NULL;
	r->n++;
	return c;
}

int exec_resume_load(const char *journal, struct exec_resume *r)
{
	struct jread_journal j = { .quiet = true };	/* a cut last line is expected here */
	struct exec_resume_case *c;
	int err = 0;
	size_t k;

	memset(r, 0, sizeof(*r));
	if (access(journal, F_OK))
		return 0;
	err = jread_load(&j, journal);
	if (err < 0)
		goto out;
	err = 0;
	for (k = 0; k < j.nsteps; k++) {
		c = entry(r, j.steps[k].case_name);
		if (!c) {
			err = -ENOMEM;
			goto out;
		}
		if (j.steps[k].nth > c->last_nth)
			c->last_nth = j.steps[k].nth;
		c->steps++;
		c->fails += !strcmp(j.steps[k].verdict, "FAIL") || j.steps[k].nreports;
	}
	for (k = 0; k < j.ncases; k++) {
		c = entry(r, j.cases[k].case_name);
		if (!c) {
			err = -ENOMEM;
			goto out;
		}
		c->done = true;
	}
out:
	jread_free(&j);
	if (err)
		exec_resume_free(r);
	return err;
}

const struct exec_resume_case *exec_resume_case(const struct exec_resume *r,
						const char *case_name)
{
	size_t i;

	for (i = 0; r && i < r->n; i++)
		if (!strcmp(r->c[i].name, case_name))
			return &r->c[i];
	return NULL;
}

unsigned exec_resume_from(const struct exec_resume *r, const char *case_name)
{
	const struct exec_resume_case *c = exec_resume_case(r, case_name);

	return !c ? 1 : c->done ? 0 : c->last_nth + 1;
}

void exec_resume_free(struct exec_resume *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->c[i].name);
	free(r->c);
	memset(r, 0, sizeof(*r));
}
