/*
 * The coverage map as HTML: genhtml over coverage.info, with a text on
 * every page that says what its lines, counts and percentages mean, and
 * each allocation site's story written next to its line in the source view
 * (genhtml 1.16 knows no per-line labels, so the pages are annotated after).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/coverage/cov.h"

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

static void html(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void group_line(FILE *f, const struct cov_group *g, const char *what)
{
	char pct[32];

	cov_pct(g, pct, sizeof(pct));
	fprintf(f, "<li>%s", what);
	if (*g->name) {
		fputs("<b>", f);
		html(f, g->name);
		fputs("</b>: ", f);
	}
	fprintf(f, "%u of %u allocation sites faulted (%s)", g->faulted, g->sweepable, pct);
	if (g->sites > g->sweepable)
		fprintf(f, "; %u more not counted (%u __GFP_NOFAIL, %u boot-only, %u of a fault "
			"type not injected)", g->sites - g->sweepable, g->reach[COV_REACH_NOFAIL],
			g->reach[COV_REACH_BOOT_ONLY], g->reach[COV_REACH_NOT_INJECTED]);
	fputs("</li>\n", f);
}

/* The text every page ends with: how to read it, the scope and its totals. */
static int write_epilog(const struct cov_map *m, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f)
		return -errno;
	fputs("<div style=\"margin:1em 2em;padding:0.5em 1em;border:1px solid #999;"
	      "font-family:sans-serif;font-size:90%;max-width:60em\">\n"
	      "<p><b>How to read this report.</b> It is made by <code>faultsweep report</code>. "
	      "Each counted line is an <b>allocation site</b>: a source line that calls a kernel "
	      "allocator (kmalloc(), kzalloc(), alloc_pages(), vmalloc(), alloc_percpu(), "
	      "alloc_skb(), ...), listed from the DWARF of vmlinux and of the modules swept. "
	      "A line's count is the number of sweep steps that made that allocation fail "
	      "(fail-nth); a line marked as not hit was never made to fail, so the error path "
	      "after it is <b>untested</b>. <i>Lines</i> in the tables are allocation site "
	      "lines faulted out of those counted; <i>Functions</i> are the functions with at "
	      "least one faulted site out of those holding a counted site. In the source view "
	      "the text after a site says what happened there: the outcomes of the steps that "
	      "faulted it (handled = the expected errno and no finding), or why it is not "
	      "counted.</p>\n"
	      "<p>Not counted: sites a fail-nth sweep cannot fail, as far as the binary "
	      "shows it &mdash; a constant gfp argument with __GFP_NOFAIL, code in vmlinux's "
	      ".init.text (it ran at boot), and allocators of a fault type the run did not "
	      "inject. Sites that run only outside the swept task (softirq, IRQ, kthreads) "
	      "cannot be told from the binary and are counted: the percentage is what the "
	      "corpus reached of what it could possibly reach, a lower bound.</p>\n<ul>\n", f);
	group_line(f, &m->total, m->default_scope ?
		   "Scope (the directories and modules the faults touched): " : "Scope: ");
	for (i = 0; i < m->nscopes && m->nscopes > 1; i++)
		group_line(f, &m->scopes[i], "");
	fputs("</ul>\n", f);
	if (m->lost_steps)
		fprintf(f, "<p>%llu steps ended with their worker or the kernel before their site "
			"could be read (a crash on the error path): a site only they hit shows as "
			"never faulted.</p>\n", (unsigned long long)m->lost_steps);
	fputs("</div>\n</body>\n</html>\n", f);
	if (ferror(f)) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

/* genhtml's page for @file: apply_prefix() of its directory under @dir (lcov 1.16). */
static void page_of(const char *dir, const char *file, char *const *prefix, size_t np,
		    char *buf, size_t len)
{
	const char *slash = strrchr(file, '/');
	char d[SYM_PATH_MAX];
	const char *rel;
	size_t i;

	snprintf(d, sizeof(d), "%.*s", slash ? (int)(slash - file) : 0, file);
	rel = d;
	for (i = 0; i < np; i++) {
		size_t n = strlen(prefix[i]);

		if (!strcmp(prefix[i], d)) {
			rel = "root";
			break;
		}
		if (n && !strncmp(d, prefix[i], n) && d[n] == '/') {
			rel = d + n + 1;
			break;
		}
	}
	while (*rel == '/')
		rel++;
	snprintf(buf, len, "%s/%s/%s.gcov.html", dir, rel, slash ? slash + 1 : file);
}

/* The sites of one file, for the annotation: @s[0, n) sorted by line. */
static int annotate(const char *page, const struct cov_site *const *s, size_t n)
{
	char *text = NULL, tmp[4200], what[600];
	size_t len = 0, k = 0, i;
	FILE *in = fopen(page, "r"), *out;
	ssize_t got;
	int err = 0, marked = 0;
	bool many = false;

	if (!in)
		return -ENOENT;
	for (i = 1; i < n; i++)
		many |= strcmp(s[i]->module, s[0]->module) != 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", page);
	out = fopen(tmp, "w");
	if (!out) {
		fclose(in);
		return -errno;
	}
	while ((got = getline(&text, &len, in)) > 0) {
		int line;
		char *end;

		if (sscanf(text, "<a name=\"%d\">", &line) != 1 ||
		    (end = strstr(text, "</a>\n")) == NULL) {
			fputs(text, out);
			continue;
		}
		while (k < n && s[k]->loc.line < line)
			k++;
		if (k == n || s[k]->loc.line != line) {
			fputs(text, out);
			continue;
		}
		fwrite(text, 1, (size_t)(end - text), out);
		for (; k < n && s[k]->loc.line == line; k++) {
			cov_site_describe(s[k], what, sizeof(what));
			fputs(s[k]->nsteps ? "<span style=\"color:#005500\">" :
			      s[k]->reach == COV_REACH_SWEEPABLE ? "<span style=\"color:#aa0000\">" :
			      "<span style=\"color:#666666\">", out);
			fputs("  &larr; ", out);
			if (many) {
				fputc('[', out);
				html(out, *s[k]->module ? s[k]->module : "vmlinux");
				fputs("] ", out);
			}
			html(out, what);
			fputs("</span>", out);
		}
		fputs(end, out);
		marked++;
	}
	free(text);
	if (ferror(out) || ferror(in))
		err = -EIO;
	fclose(in);
	if (fclose(out) && !err)
		err = -errno;
	if (!err && rename(tmp, page))
		err = -errno;
	if (err)
		unlink(tmp);
	return err ? err : marked;
}

static int cmp_file_line(const void *a, const void *b)
{
	const struct cov_site *x = *(const struct cov_site *const *)a;
	const struct cov_site *y = *(const struct cov_site *const *)b;
	int c = strcmp(x->loc.file, y->loc.file);

	if (c)
		return c;
	return x->loc.line < y->loc.line ? -1 : x->loc.line > y->loc.line;
}

/* Every in-scope site with a line, next to its line on its file's page. */
static int annotate_all(const struct cov_map *m, const char *dir, char *const *prefix,
			size_t np, unsigned *missed)
{
	const struct cov_site **s = calloc(m->nsites + 1, sizeof(*s));
	char page[4096];
	size_t i, k, n = 0;

	*missed = 0;
	if (!s)
		return -ENOMEM;
	for (i = 0; i < m->nsites; i++)
		if (m->sites[i].in_scope && m->sites[i].symbolized && m->sites[i].loc.line > 0)
			s[n++] = &m->sites[i];
	qsort(s, n, sizeof(*s), cmp_file_line);
	for (i = 0; i < n; i = k) {
		for (k = i; k < n && !strcmp(s[k]->loc.file, s[i]->loc.file); k++)
			;
		page_of(dir, s[i]->loc.file, prefix, np, page, sizeof(page));
		/* a file with no counted site has no page: its sites are in coverage.json */
		if (access(page, F_OK))
			continue;
		if (annotate(page, s + i, k - i) <= 0)
			(*missed)++;
	}
	free(s);
	return 0;
}

/* Prefixes genhtml strips from directory names: the source tree, the build, a module's parent. */
static size_t prefixes(const struct cov_map *m, char **p, size_t max, char buf[][SYM_PATH_MAX])
{
	size_t i, k, n = 0;

	if (*m->root) {
		snprintf(buf[n], SYM_PATH_MAX, "%.*s", (int)strlen(m->root) - 1, m->root);
		p[n] = buf[n];
		n++;
	}
	if (*m->kernel_build && n < max) {
		snprintf(buf[n], SYM_PATH_MAX, "%s", m->kernel_build);
		p[n] = buf[n];
		n++;
	}
	for (i = 0; i < m->nsites && n < max; i++) {
		const struct cov_site *s = &m->sites[i];
		char *slash;

		if (!*s->module || !s->in_scope || !s->symbolized || s->rel_off)
			continue;
		snprintf(buf[n], SYM_PATH_MAX, "%s", s->loc.file);
		for (k = 0; k < 2 && (slash = strrchr(buf[n], '/')) != NULL; k++)
			*slash = 0;
		if (!*buf[n] || k < 2)
			continue;
		for (k = 0; k < n && strcmp(p[k], buf[n]); k++)
			;
		if (k == n) {
			p[n] = buf[n];
			n++;
		}
	}
	return n;
}

#define MAX_PREFIX 8

int cov_genhtml(const struct cov_map *m, const char *info, const char *dir, char *note,
		size_t len)
{
	char log[4096], epilog[4096], pbuf[MAX_PREFIX][SYM_PATH_MAX], *pre[MAX_PREFIX];
	const char *args[16 + 2 * MAX_PREFIX];
	size_t total, np, i, nl;
	unsigned missed = 0;
	int n = 0, missing, status, fd, err;
	pid_t pid;

	*note = 0;
	if (!in_path("genhtml")) {
		snprintf(note, len, "genhtml is not installed (apt-get install lcov): no html");
		return -ENOENT;
	}
	snprintf(epilog, sizeof(epilog), "%s.epilog.html", dir);
	err = write_epilog(m, epilog);
	if (err) {
		snprintf(note, len, "cannot write %s: %s", epilog, strerror(-err));
		return -EIO;
	}
	missing = missing_sources(info, &total);
	np = prefixes(m, pre, MAX_PREFIX, pbuf);
	args[n++] = "genhtml";
	args[n++] = "--quiet";
	args[n++] = "--legend";
	args[n++] = "--title";
	args[n++] = "faultsweep: allocation sites made to fail";
	args[n++] = "--html-epilog";
	args[n++] = epilog;
	args[n++] = "--output-directory";
	args[n++] = dir;
	for (i = 0; i < np; i++) {
		args[n++] = "--prefix";
		args[n++] = pre[i];
	}
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
	if (missing == 0 || (size_t)missing < total) {
		err = annotate_all(m, dir, pre, np, &missed);
		nl = strlen(note);
		if (err)
			snprintf(note + nl, len - nl, "%ssites not written next to their lines: %s",
				 nl ? "; " : "", strerror(-err));
		else if (missed)
			snprintf(note + nl, len - nl, "%s%u source pages not annotated (not the page "
				 "layout of genhtml 1.16, or no source)", nl ? "; " : "", missed);
	}
	return 0;
}
