/* Writes a standalone C reproducer and a bisect script for each failing step of a journal. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reports/repro/repro.h"

/* Includes of harness/ files: each is pasted into the reproducer above the file that includes it. */
#define HARNESS_INCLUDE "#include \"harness/"

/* The helpers a harness may include, pasted (header, then source) when it does. */
static const struct helper {
	const char *include;		/* the line that names it */
	const char *h_path, *h_text, *c_path, *c_text;
} helpers[] = {
	{ "#include \"harness/net.h\"", "harness/net.h", repro_text_net_h, "harness/net.c",
	  repro_text_net_c },
	{ "#include \"harness/ipc.h\"", "harness/ipc.h", repro_text_ipc_h, "harness/ipc.c",
	  repro_text_ipc_c },
};

const struct repro_src *repro_find_case(const char *name)
{
	const char *const *c;
	size_t i;

	for (i = 0; i < repro_nsrcs; i++)
		for (c = repro_srcs[i].cases; *c; c++)
			if (!strcmp(*c, name))
				return &repro_srcs[i];
	return NULL;
}

/* Case names become file names and C identifiers: [a-z0-9_] only. */
static bool safe_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* The fault types the run used, as a C/shell-safe list; slab,page (the default) if unknown. */
static const char *faults_of(const struct repro_job *job)
{
	const char *f = job->run ? job->run->faults : "";

	if (!*f || strspn(f, "abcdefghijklmnopqrstuvwxyz,") != strlen(f))
		return "slab,page";
	return f;
}

/* @s on one line of a C comment: no control characters, no comment end. */
static void put_comment_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch < 0x20 || ch == 0x7f)
			fputc(' ', f);
		else if (ch == '*' && s[1] == '/')
			fputs("*\\", f);
		else
			fputc(ch, f);
	}
}

static void put_titles_comment(FILE *f, const struct jread_step *s)
{
	size_t i;

	for (i = 0; i < s->nfindings; i++) {
		fputs(" *   - ", f);
		put_comment_text(f, s->findings[i].title);
		fputs("\n", f);
	}
	for (i = 0; i < s->nreports; i++) {
		fputs(" *   - kernel report: ", f);
		put_comment_text(f, s->reports[i].title);
		fputs(" (", f);
		put_comment_text(f, s->reports[i].kind);
		fputs(")\n", f);
	}
	if (!s->nfindings && !s->nreports)
		fprintf(f, " *   - verdict %s, no finding recorded\n", s->verdict);
}

/* A harness/ or syscalls/ file without its includes of harness/ files (pasted above it). */
static void put_harness(FILE *f, const char *text)
{
	const char *line = text, *nl;

	while (*line) {
		nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);

		if (strncmp(line, HARNESS_INCLUDE, strlen(HARNESS_INCLUDE)))
			fwrite(line, 1, len, f);
		line += len;
	}
}

/* Whether the harness file @text includes @h: a line of its own. */
static bool uses(const char *text, const struct helper *h)
{
	const char *p = text;
	size_t len = strlen(h->include);

	while ((p = strstr(p, h->include))) {
		if ((p == text || p[-1] == '\n') && (p[len] == '\n' || !p[len]))
			return true;
		p += len;
	}
	return false;
}

int repro_write_c(FILE *f, const struct repro_job *job)
{
	const struct jread_step *s = job->step;
	const char *name = s->case_name;
	bool any;
	size_t i;

	if (!safe_name(name))
		return -EINVAL;
	fprintf(f, "/*\n * faultsweep reproducer: %s at fail-nth N=%llu\n *\n", name,
		(unsigned long long)s->nth);
	fputs(" * What the sweep found at this step (", f);
	put_comment_text(f, s->file ? s->file : "journal");
	fprintf(f, ":%lu, run ", s->line);
	put_comment_text(f, job->run ? job->run->run : s->run);
	fputs(",\n * kernel ", f);
	put_comment_text(f, job->run && *job->run->kernel ? job->run->kernel : "unknown");
	fprintf(f, ", faults %s):\n", faults_of(job));
	put_titles_comment(f, s);
	fprintf(f,
		" *\n"
		" * Build: cc -static -o repro %s-n%llu.c\n"
		" * Run:   ./repro [N]   as root, in a kernel with fault injection\n"
		" *        (CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC,\n"
		" *        CONFIG_FAULT_INJECTION_DEBUG_FS, CONFIG_FAULT_INJECTION_STACKTRACE_FILTER)\n"
		" *\n"
		" * It sets the debugfs fault-injection knobs the run used (mounting debugfs\n"
		" * if needed) and restores them on exit and on SIGINT/SIGTERM, runs the\n"
		" * case once without a fault (setup, call, teardown), then with the N-th\n"
		" * fault point of the call failing through /proc/thread-self/fail-nth,\n"
		" * judged as the faultsweep worker does; that step is tried\n"
		" * FS_REPRO_REPEAT times (default 5; the count of points ahead of a site\n"
		" * can move by one or two between calls), a bug in any attempt counts.\n"
		" * Exit codes (git bisect run):\n"
		" *   0   the fault fired and the error was handled\n"
		" *   1   a bug reproduced by a userspace oracle: unexpected errno, fd leak,\n"
		" *       or the same call failing right after without a fault\n"
		" *   125 cannot tell: no fail-nth in this kernel, setup failed or is not\n"
		" *       supported here, or the fault did not fire at N (N moves between\n"
		" *       kernel versions)\n"
		" * Kernel-side findings (KASAN, Oops, WARNING, leaks) are in the kernel log:\n"
		" * %s-n%llu.sh runs this program and judges the log too.\n"
		" *\n"
		" * Generated by faultsweep " FS_VERSION " from harness/harness.h,\n"
		" * harness/knob_io.h, harness/harness_lib.c,",
		name, (unsigned long long)s->nth, name, (unsigned long long)s->nth);
	for (i = 0, any = false; i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		if (!uses(job->src->text, &helpers[i]))
			continue;
		fprintf(f, " %s, %s,", helpers[i].h_path, helpers[i].c_path);
		any = true;
	}
	fprintf(f, "%s reports/repro/repro_rt.c and %s.\n"
		" */\n"
		"#define _GNU_SOURCE\n\n"
		"/* ---- harness/harness.h ---- */\n", any ? "\n *" : "", job->src->path);
	fputs(repro_text_harness_h, f);
	fputs("\n/* ---- harness/knob_io.h ---- */\n", f);
	fputs(repro_text_knob_io, f);
	fputs("\n/* ---- harness/harness_lib.c ---- */\n", f);
	put_harness(f, repro_text_harness_lib);
	for (i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		if (!uses(job->src->text, &helpers[i]))
			continue;
		fprintf(f, "\n/* ---- %s ---- */\n", helpers[i].h_path);
		put_harness(f, helpers[i].h_text);
		fprintf(f, "\n/* ---- %s ---- */\n", helpers[i].c_path);
		put_harness(f, helpers[i].c_text);
	}
	fputs("\n/* ---- reports/repro/repro_rt.c ---- */\n", f);
	fputs(repro_text_rt, f);
	fprintf(f, "\n/* ---- %s ---- */\n", job->src->path);
	put_harness(f, job->src->text);
	fprintf(f,
		"\n/* ---- main ---- */\n"
		"int main(int argc, char **argv)\n"
		"{\n"
		"\tunsigned long nth = %lluul;\n"
		"\n"
		"\tif (argc > 1)\n"
		"\t\tnth = strtoul(argv[1], NULL, 0);\n"
		"\tif (!nth || nth > 0xffffffffu) {\n"
		"\t\tprintf(\"repro: 125 cannot tell: bad N %%lu\\n\", nth);\n"
		"\t\treturn REPRO_UNSURE;\n"
		"\t}\n"
		"\treturn repro_main(&fs_h_%s, \"%s\", nth, \"%s\");\n"
		"}\n",
		(unsigned long long)s->nth, name, name, faults_of(job));
	return ferror(f) ? -EIO : 0;
}

/* Whether @s is failing: a FAIL verdict, or a kernel report attached to it. */
static bool failing(const struct jread_step *s)
{
	return s->nth && (!strcmp(s->verdict, "FAIL") || s->nreports);
}

struct seen {
	const char **t;
	size_t n, cap;
};

static bool seen_has(const struct seen *x, const char *t)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		if (!strcmp(x->t[i], t))
			return true;
	return false;
}

static int seen_add(struct seen *x, const char *t)
{
	if (seen_has(x, t))
		return 0;
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;
		const char **n = realloc(x->t, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		x->t = n;
		x->cap = cap;
	}
	x->t[x->n++] = t;
	return 0;
}

/* Whether @s brings a title no earlier reproducer covers; then all its titles are taken. */
static int new_titles(struct seen *x, const struct jread_step *s, bool *isnew)
{
	size_t i;
	int err = 0;

	*isnew = !s->nfindings && !s->nreports;
	for (i = 0; i < s->nfindings; i++)
		*isnew |= !seen_has(x, s->findings[i].title);
	for (i = 0; i < s->nreports; i++)
		*isnew |= !seen_has(x, s->reports[i].title);
	for (i = 0; !err && *isnew && i < s->nfindings; i++)
		err = seen_add(x, s->findings[i].title);
	for (i = 0; !err && *isnew && i < s->nreports; i++)
		err = seen_add(x, s->reports[i].title);
	return err;
}

static const struct jread_run *run_of(const struct jread_journal *j, const char *id)
{
	size_t i;

	for (i = 0; i < j->nruns; i++)
		if (!strcmp(j->runs[i].run, id))
			return &j->runs[i];
	return j->nruns ? &j->runs[j->nruns - 1] : NULL;
}

static int write_file(const char *path, mode_t mode, const struct repro_job *job,
		      int (*gen)(FILE *, const struct repro_job *))
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -errno;
	err = gen(f, job);
	if (fclose(f) && !err)
		err = -errno;
	if (!err && chmod(path, mode))
		err = -errno;
	return err;
}

int repro_write_all(const struct jread_journal *j, const char *outdir,
		    const struct repro_opts *o, struct repro_stats *st)
{
	struct seen seen = { 0 }, unknown = { 0 };
	size_t nunknown = 0;
	char *dir = NULL, *path = NULL, *modtext = NULL;
	const struct jread_val *mc;
	struct repro_src modsrc;
	size_t i;
	int err = 0;

	memset(st, 0, sizeof(*st));
	if (asprintf(&dir, "%s/repro", outdir) < 0) {
		dir = NULL;
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < j->nsteps; i++) {
		const struct jread_step *s = &j->steps[i];
		struct repro_job job = { .step = s, .faultsweep = o->faultsweep };
		bool isnew;

		if (!failing(s))
			continue;
		st->failing++;
		job.src = safe_name(s->case_name) ? repro_find_case(s->case_name) : NULL;
		free(modtext);
		modtext = NULL;
		mc = safe_name(s->case_name) && !job.src ? jread_modcase(j, s->case_name) : NULL;
		if (mc && repro_mod_src(mc, s->case_name, &modsrc, &modtext) == 0)
			job.src = &modsrc;
		if (!job.src) {
			/* Once per case: a journal of another build may hold thousands. */
			err = seen_add(&unknown, s->case_name);
			if (err)
				goto out;
			if (unknown.n > nunknown && jread_get(&s->rec, "invocation"))
				fprintf(stderr, "faultsweep report: %s:%lu: '%s' is a faultsweep exec "
					"case: exec makes no reproducers yet (re-run the exec)\n",
					s->file ? s->file : "journal", s->line, s->case_name);
			else if (unknown.n > nunknown)
				fprintf(stderr, "faultsweep report: %s:%lu: case '%s' is not compiled "
					"into this faultsweep: no reproducer for its failing steps\n",
					s->file ? s->file : "journal", s->line, s->case_name);
			nunknown = unknown.n;
			st->unknown++;
			continue;
		}
		err = new_titles(&seen, s, &isnew);
		if (err)
			goto out;
		if (!isnew && !o->all) {
			st->dup++;
			continue;
		}
		job.run = run_of(j, s->run);
		if (mkdir(dir, 0755) && errno != EEXIST) {
			err = -errno;
			goto out;
		}
		free(path);
		/* Room for either extension: ".c" is written first, then ".sh". */
		if (asprintf(&path, "%s/%s-n%llu.sh", dir, s->case_name,
			     (unsigned long long)s->nth) < 0) {
			path = NULL;
			err = -ENOMEM;
			goto out;
		}
		strcpy(path + strlen(path) - 2, "c");
		err = write_file(path, 0644, &job, repro_write_c);
		if (err)
			goto out;
		strcpy(path + strlen(path) - 1, "sh");
		err = write_file(path, 0755, &job, repro_write_sh);
		if (err)
			goto out;
		st->written++;
	}
out:
	if (err)
		fprintf(stderr, "faultsweep report: cannot write %s: %s\n", path ? path : outdir,
			strerror(-err));
	free(seen.t);
	free(unknown.t);
	free(modtext);
	free(dir);
	free(path);
	return err;
}
