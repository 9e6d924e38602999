/* `faultsweep report`: re-makes the JUnit report and the coverage map from one or more journals. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reports/cov.h"
#include "reports/jread.h"
#include "reports/junit.h"
#include "runner/cli.h"
#include "runner/exitcodes.h"

static const char usage[] =
	"usage: faultsweep report [--out DIR] [--junit-collapse] [--vmlinux FILE]\n"
	"                         [--modules DIR|FILE]... JOURNAL...\n"
	"\n"
	"Reads the journals (later ones win for the same case and N) and writes\n"
	"DIR/junit.xml: one testsuite per area, one testcase per (case, N), and the\n"
	"coverage map of faulted allocation sites in DIR/coverage/ (coverage.json,\n"
	"coverage.info, html/ with genhtml).\n"
	"\n"
	"  -o, --out DIR         where to write (default: the first journal's directory)\n"
	"      --junit-collapse  one testcase per case instead of per (case, N)\n"
	"      --vmlinux FILE    symbolize sites against FILE (default: vmlinux in the\n"
	"                        kernel build directory the run record names)\n"
	"      --modules PATH    a .ko, or a directory searched for them (repeatable)\n"
	"  -h, --help            this text\n";

/* mkdir -p: the report directory may be new (a Jenkins workspace). */
static int make_dirs(const char *dir)
{
	char *p, *d = strdup(dir), ch;
	int err = 0;

	if (!d)
		return -ENOMEM;
	for (p = d + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		ch = *p;
		*p = 0;
		if (mkdir(d, 0755) && errno != EEXIST) {
			err = -errno;
			break;
		}
		*p = ch;
		if (!ch)
			break;
	}
	free(d);
	return err;
}

/* OUT/coverage/: coverage.json, coverage.info and html/; the table on stdout. */
static int write_coverage(const struct jread_journal *j, const struct cov_opts *co,
			  const char *out)
{
	struct cov_map m;
	char *dir = NULL, *json = NULL, *info = NULL, *html = NULL, note[256];
	int err, files;

	err = cov_build(j, co, &m);
	if (err)
		goto out;
	if (asprintf(&dir, "%s/coverage", out) < 0 ||
	    asprintf(&json, "%s/coverage.json", dir) < 0 ||
	    asprintf(&info, "%s/coverage.info", dir) < 0 ||
	    asprintf(&html, "%s/html", dir) < 0) {
		err = -ENOMEM;
		goto out;
	}
	err = make_dirs(dir);
	if (!err)
		err = cov_write_json(&m, json);
	if (err)
		goto out;
	files = cov_write_lcov(&m, info);
	if (files < 0) {
		err = files;
		goto out;
	}
	cov_summary_text(&m, stdout);
	if (!files) {
		printf("faultsweep report: wrote %s and %s (no symbolized site: no html)\n", json,
		       info);
		goto out;
	}
	err = cov_genhtml(info, html, note, sizeof(note));
	printf("faultsweep report: wrote %s, %s (%d source files)%s%s%s%s%s\n", json, info, files,
	       err ? "" : " and ", err ? "" : html, err ? "" : "/index.html",
	       *note ? "; " : "", note);
	/* No html is a note, never a failure: the json and the tracefile are there. */
	err = 0;
out:
	cov_free(&m);
	free(dir);
	free(json);
	free(info);
	free(html);
	return err;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "junit-collapse", no_argument, NULL, 'C' },
		{ "vmlinux", required_argument, NULL, 'v' },
		{ "modules", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct jread_journal j = { 0 };
	struct junit_stats st = { 0 };
	struct junit_opts jo = { .stats = &st };
	const char *out = NULL;
	const char *mods[64];
	struct cov_opts co = { .modules = mods };
	char *first = NULL, *path = NULL;
	struct stat sb;
	int c, i, err, ret = FS_EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'C': jo.collapse = true; break;
		case 'v': co.vmlinux = optarg; break;
		case 'M':
			if (co.nmodules == sizeof(mods) / sizeof(mods[0])) {
				fprintf(stderr, "faultsweep report: too many --modules (64 at most)\n");
				return FS_EXIT_USAGE;
			}
			mods[co.nmodules++] = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return FS_EXIT_OK;
		case ':':
			fprintf(stderr, "faultsweep report: %s needs a value\n\n%s",
				argv[optind - 1], usage);
			return FS_EXIT_USAGE;
		default:
			fprintf(stderr, "faultsweep report: unknown option '%s'\n\n%s",
				argv[optind - 1], usage);
			return FS_EXIT_USAGE;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "faultsweep report: no journal given\n\n%s", usage);
		return FS_EXIT_USAGE;
	}
	if (out && !*out) {
		fprintf(stderr, "faultsweep report: --out: empty directory name\n");
		return FS_EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			fprintf(stderr, "faultsweep report: %s: is a directory, want a journal "
				"(%s/journal.jsonl?)\n", argv[i], argv[i]);
			ret = FS_EXIT_USAGE;
			goto out;
		}
		err = jread_load(&j, argv[i]);
		if (err < 0) {
			fprintf(stderr, "faultsweep report: %s: %s\n", argv[i], strerror(-err));
			ret = err == -ENOMEM ? FS_EXIT_IO : FS_EXIT_USAGE;
			goto out;
		}
		if (err == 0)
			fprintf(stderr, "faultsweep report: %s: no usable records\n", argv[i]);
	}
	if (!j.nsteps && !j.ncases && !j.nruns) {
		fprintf(stderr, "faultsweep report: no journal records in %s%s\n", argv[optind],
			argc - optind > 1 ? " and the others" : "");
		ret = FS_EXIT_USAGE;
		goto out;
	}
	if (!out) {
		first = strdup(argv[optind]);
		if (!first) {
			ret = FS_EXIT_IO;
			goto out;
		}
		out = dirname(first);
	}
	err = make_dirs(out);
	if (!err && asprintf(&path, "%s/junit.xml", out) < 0) {
		path = NULL;
		err = -ENOMEM;
	}
	if (!err)
		err = junit_write(&j, path, &jo);
	if (err) {
		fprintf(stderr, "faultsweep report: cannot write %s%s: %s\n", out,
			path ? "/junit.xml" : "", strerror(-err));
		ret = FS_EXIT_IO;
		goto out;
	}
	printf("faultsweep report: wrote %s (%zu testcases: %zu failures, %zu errors, "
	       "%zu skipped%s)\n", path, st.tests, st.failures, st.errors, st.skipped,
	       j.lines_skipped ? "; some journal lines were skipped, see above" : "");
	err = write_coverage(&j, &co, out);
	if (err) {
		fprintf(stderr, "faultsweep report: cannot write %s/coverage: %s\n", out,
			strerror(-err));
		ret = FS_EXIT_IO;
	}
out:
	jread_free(&j);
	free(first);
	free(path);
	return ret;
}
