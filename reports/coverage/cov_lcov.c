/* The coverage map as an lcov tracefile (lcov 1.16 format) whose lines are the allocation sites. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/coverage/cov.h"

/* In the tracefile: a sweepable site in scope with a line. */
static bool counted(const struct cov_site *s)
{
	return s->in_scope && s->symbolized && s->loc.line > 0 && s->reach == COV_REACH_SWEEPABLE;
}

static int cmp_by_file(const void *a, const void *b)
{
	const struct cov_site *x = *(const struct cov_site *const *)a;
	const struct cov_site *y = *(const struct cov_site *const *)b;
	int c = strcmp(x->loc.file, y->loc.file);

	if (c)
		return c;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	return strcmp(x->module, y->module);
}

/* One SF record: the sites @s[0, n) share a file and are sorted by line. */
static void source_file(FILE *f, const struct cov_site *const *s, size_t n)
{
	const char *file = s[0]->loc.file;
	size_t i, k, fnf = 0, fnh = 0, lf = 0, lh = 0;

	fprintf(f, "TN:faultsweep\nSF:%s\n", file);
	/* FN: the functions that hold a site and start in this file, each once. */
	for (i = 0; i < n; i++) {
		const struct sym_loc *l = &s[i]->loc;
		size_t steps = 0;

		if (!*l->scope || !l->scope_line || strcmp(l->scope_file, file))
			continue;
		for (k = 0; k < i; k++)
			if (!strcmp(s[k]->loc.scope, l->scope) && !strcmp(s[k]->loc.scope_file, file))
				break;
		if (k < i)
			continue;
		for (k = i; k < n; k++)
			if (!strcmp(s[k]->loc.scope, l->scope))
				steps += s[k]->nsteps;
		fprintf(f, "FN:%d,%s\nFNDA:%zu,%s\n", l->scope_line, l->scope, steps, l->scope);
		fnf++;
		fnh += steps > 0;
	}
	fprintf(f, "FNF:%zu\nFNH:%zu\n", fnf, fnh);
	/* DA: one line per allocation site line; its count the steps that faulted it. */
	for (i = 0; i < n; i = k) {
		size_t steps = 0;

		for (k = i; k < n && s[k]->loc.line == s[i]->loc.line; k++)
			steps += s[k]->nsteps;
		fprintf(f, "DA:%d,%zu\n", s[i]->loc.line, steps);
		lf++;
		lh += steps > 0;
	}
	fprintf(f, "LF:%zu\nLH:%zu\nend_of_record\n", lf, lh);
}

int cov_write_lcov(const struct cov_map *m, const char *path)
{
	const struct cov_site **s = calloc(m->nsites + 1, sizeof(*s));
	size_t i, k, n = 0;
	int files = 0, err = 0;
	FILE *f;

	if (!s)
		return -ENOMEM;
	for (i = 0; i < m->nsites; i++)
		if (counted(&m->sites[i]))
			s[n++] = &m->sites[i];
	qsort(s, n, sizeof(*s), cmp_by_file);
	f = fopen(path, "w");
	if (!f) {
		err = -errno;
		goto out;
	}
	for (i = 0; i < n; i = k) {
		for (k = i; k < n && !strcmp(s[k]->loc.file, s[i]->loc.file); k++)
			;
		source_file(f, s + i, k - i);
		files++;
	}
	if (ferror(f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
out:
	free(s);
	return err ? err : files;
}
