/* The coverage map as an lcov tracefile (lcov 1.16 format), rendered to HTML with genhtml. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/coverage/cov.h"

static int cmp_by_file(const void *a, const void *b)
{
	const struct cov_site *x = *(const struct cov_site *const *)a;
	const struct cov_site *y = *(const struct cov_site *const *)b;
	int c = strcmp(x->loc.file, y->loc.file);

	if (c)
		return c;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	return strcmp(x->sym, y->sym);
}

/* One SF record: the sites @s[0, n) share a file and are sorted by line. */
static void source_file(FILE *f, const struct cov_site *const *s, size_t n)
{
	const char *file = s[0]->loc.file;
	size_t i, k, fnf = 0, fnh = 0, lf = 0, lh = 0, brf = 0, brh = 0;

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
	/* BRDA: one block per site on the line, one branch per outcome class. */
	for (i = 0; i < n; i++) {
		size_t block = 0;
		int o;

		for (k = i; k > 0 && s[k - 1]->loc.line == s[i]->loc.line; k--)
			block++;
		for (o = 0; o < COV_NR_OUTCOMES; o++) {
			fprintf(f, "BRDA:%d,%zu,%d,%u\n", s[i]->loc.line, block, o, s[i]->outcomes[o]);
			brf++;
			brh += s[i]->outcomes[o] > 0;
		}
	}
	fprintf(f, "BRF:%zu\nBRH:%zu\n", brf, brh);
	/* DA: times faulted, summed over the sites of a line. */
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
		if (m->sites[i].symbolized && m->sites[i].loc.line > 0)
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

static bool in_path(const char *prog)
{
	const char *p = getenv("PATH");
	char buf[4096];

	for (p = p ? p : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, prog);
		if (!access(buf, X_OK))
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

/* Source files of @info that are not on this machine: all, some or none. */
static int missing_sources(const char *info, size_t *total)
{
	char line[4096];
	FILE *f = fopen(info, "r");
	int missing = 0;

	*total = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "SF:", 3))
			continue;
		line[strcspn(line, "\n")] = 0;
		(*total)++;
		missing += access(line + 3, R_OK) != 0;
	}
	fclose(f);
	return missing;
}

int cov_genhtml(const char *info, const char *dir, char *note, size_t len)
{
	char log[4096];
	const char *args[16];
	size_t total;
	int n = 0, missing, status, fd;
	pid_t pid;

	*note = 0;
	if (!in_path("genhtml")) {
		snprintf(note, len, "genhtml is not installed (apt-get install lcov): no html");
		return -ENOENT;
	}
	missing = missing_sources(info, &total);
	args[n++] = "genhtml";
	args[n++] = "--quiet";
	args[n++] = "--branch-coverage";
	args[n++] = "--legend";
	args[n++] = "--title";
	args[n++] = "faultsweep: faulted allocation sites";
	args[n++] = "--output-directory";
	args[n++] = dir;
	if (missing && (size_t)missing == total) {
		args[n++] = "--no-source";
		snprintf(note, len, "kernel sources not found: html without source text");
	} else if (missing) {
		args[n++] = "--ignore-errors";
		args[n++] = "source";
		snprintf(note, len, "%d of %zu source files not found: shown without source text",
			 missing, total);
	}
	args[n++] = info;
	args[n] = NULL;
	snprintf(log, sizeof(log), "%s.log", dir);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp("genhtml", (char **)args);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(note, len, "genhtml failed (see %s)", log);
		return -EIO;
	}
	return 0;
}
