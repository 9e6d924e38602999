/*
 * The report pipeline shared by `faultsweep report` and the end of `run`:
 * journals → JUnit, reproducers, coverage map, summary — in that order, since
 * the summary names the reproducers and holds the coverage table.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/coverage/cov.h"
#include "reports/junit/junit.h"
#include "reports/repro/repro.h"
#include "reports/summary.h"
#include "reports/sym/sym_leaks.h"
#include "journal/outdir.h"
#include "reports/make.h"

/* OUT/coverage/: coverage.json, coverage.info and html/ (genhtml). */
static int write_coverage(const struct cov_map *m, const char *out, bool quiet)
{
	char *dir = NULL, *json = NULL, *info = NULL, *html = NULL, note[256];
	int err, files;

	if (asprintf(&dir, "%s/coverage", out) < 0 || asprintf(&json, "%s/coverage.json", dir) < 0 ||
	    asprintf(&info, "%s/coverage.info", dir) < 0 || asprintf(&html, "%s/html", dir) < 0) {
		err = -ENOMEM;
		goto out;
	}
	err = fs_mkdir_p(dir);
	if (!err)
		err = cov_write_json(m, json);
	if (err)
		goto out;
	files = cov_write_lcov(m, info);
	if (files < 0) {
		err = files;
		goto out;
	}
	if (!files) {
		if (!quiet)
			printf("faultsweep report: wrote %s and %s (no symbolized site: no html)\n",
			       json, info);
		goto out;
	}
	err = cov_genhtml(m, info, html, note, sizeof(note));
	if (!quiet)
		printf("faultsweep report: wrote %s, %s (%d source files)%s%s%s%s%s\n", json, info,
		       files, err ? "" : " and ", err ? "" : html, err ? "" : "/index.html",
		       *note ? "; " : "", note);
	/* No html is a note, never a failure: the json and the tracefile are there. */
	err = 0;
out:
	free(dir);
	free(json);
	free(info);
	free(html);
	return err;
}

static int write_summary(const struct jread_journal *j, const char *out,
			 const struct summary_opts *so, bool quiet)
{
	char *path = NULL;
	int err;

	if (asprintf(&path, "%s/summary.txt", out) < 0)
		return -ENOMEM;
	err = summary_write(j, path, so);
	if (err)
		fprintf(stderr, "faultsweep report: cannot write %s: %s\n", path, strerror(-err));
	else if (!quiet) {
		putchar('\n');
		summary_print(stdout, j, so);
		printf("faultsweep report: wrote %s\n", path);
	}
	free(path);
	return err;
}

int report_load(struct jread_journal *j, const char *const *journals, size_t n)
{
	struct stat sb;
	int err;

	for (size_t i = 0; i < n; i++) {
		if (stat(journals[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			fprintf(stderr, "faultsweep report: %s: is a directory, want a journal "
				"(%s/journal.jsonl?)\n", journals[i], journals[i]);
			return -EINVAL;
		}
		err = jread_load(j, journals[i]);
		if (err < 0) {
			fprintf(stderr, "faultsweep report: %s: %s\n", journals[i], strerror(-err));
			return err == -ENOMEM ? -ENOMEM : -EINVAL;
		}
		if (err == 0)
			fprintf(stderr, "faultsweep report: %s: no usable records\n", journals[i]);
	}
	if (!j->nsteps && !j->ncases && !j->nruns) {
		fprintf(stderr, "faultsweep report: no journal records in %s%s\n", journals[0],
			n > 1 ? " and the others" : "");
		return -EINVAL;
	}
	return 0;
}

int report_make(struct jread_journal *j, const char *out, const struct report_opts *o)
{
	struct junit_stats st = { 0 };
	struct junit_opts jo = { .stats = &st, .collapse = o->collapse };
	struct repro_opts ro = { .all = o->repro_all };
	struct cov_opts co = { .vmlinux = o->vmlinux, .modules = o->modules,
			       .nmodules = o->nmodules, .scopes = o->scopes,
			       .nscopes = o->nscopes };
	struct summary_opts so = { .out_dir = out };
	struct repro_stats rs;
	struct cov_map m;
	char *path = NULL, self[PATH_MAX];
	bool have_cov = false;
	ssize_t len;
	int err, ret = 0;

	/* Leaks of modules unloaded before the scan: function names from the .ko files. */
	if (sym_name_unloaded_leaks(j, o->modules, o->nmodules) < 0)
		fprintf(stderr, "faultsweep report: out of memory naming leaks in unloaded modules\n");
	err = fs_mkdir_p(out);
	if (!err && asprintf(&path, "%s/junit.xml", out) < 0) {
		path = NULL;
		err = -ENOMEM;
	}
	if (!err)
		err = junit_write(j, path, &jo);
	if (err) {
		fprintf(stderr, "faultsweep report: cannot write %s%s: %s\n", out,
			path ? "/junit.xml" : "", strerror(-err));
		free(path);
		return -EIO;
	}
	if (!o->quiet)
		printf("faultsweep report: wrote %s (%zu testcases: %zu failures, %zu errors, "
		       "%zu skipped%s)\n", path, st.tests, st.failures, st.errors, st.skipped,
		       j->lines_skipped ? "; some journal lines were skipped, see above" : "");
	free(path);

	/* The scripts default FAULTSWEEP to this very binary, by absolute path. */
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[len > 0 ? len : 0] = 0;
	ro.faultsweep = len > 0 ? self : NULL;
	if (repro_write_all(j, out, &ro, &rs))
		ret = -EIO;
	else if (rs.failing && !o->quiet)
		printf("faultsweep report: wrote %zu reproducers in %s/repro for %zu failing steps "
		       "(%zu with a finding already covered%s)\n", rs.written, out, rs.failing,
		       rs.dup, rs.unknown ? ", some of cases this binary lacks, see above" : "");

	err = cov_build(j, &co, &m);
	if (!err) {
		have_cov = true;
		err = write_coverage(&m, out, o->quiet);
		so.cov = &m;
	}
	if (err) {
		fprintf(stderr, "faultsweep report: cannot write %s/coverage: %s\n", out,
			strerror(-err));
		ret = -EIO;
	}
	if (write_summary(j, out, &so, o->quiet))
		ret = -EIO;
	if (have_cov)
		cov_free(&m);
	return ret;
}

int report_after_run(const char *journal, const char *out)
{
	struct jread_journal j = { .quiet = true };
	struct report_opts o = { .quiet = true };
	int ret;

	ret = report_load(&j, &journal, 1);
	if (!ret)
		ret = report_make(&j, out, &o);
	jread_free(&j);
	if (!ret)
		printf("faultsweep: reports: %s/summary.txt, %s/junit.xml, %s/repro/, %s/coverage/\n",
		       out, out, out, out);
	else
		fprintf(stderr, "faultsweep: the reports could not all be made (the journal is "
			"intact: faultsweep report %s)\n", journal);
	return ret;
}
