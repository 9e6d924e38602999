/* `faultsweep report`: re-makes the JUnit report and the reproducers from one or more journals. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/jread.h"
#include "reports/junit.h"
#include "reports/summary.h"
#include "reports/repro.h"
#include "runner/cli.h"
#include "runner/exitcodes.h"

static const char usage[] =
	"usage: faultsweep report [--out DIR] [--junit-collapse] [--repro-all] [-q] JOURNAL...\n"
	"\n"
	"Reads the journals (later ones win for the same case and N) and writes\n"
	"DIR/junit.xml (one testsuite per area, one testcase per (case, N)),\n"
	"DIR/repro/<case>-n<N>.c and .sh for the first failing step of each finding\n"
	"title (docs/bisect.md), and DIR/summary.txt (findings by title, verdict\n"
	"counts, points per case), also printed unless -q.\n"
	"\n"
	"  -o, --out DIR         where to write (default: the first journal's directory)\n"
	"      --junit-collapse  one testcase per case instead of per (case, N)\n"
	"      --repro-all       a reproducer for every failing step, not one per title\n"
	"  -q, --quiet           do not print the summary\n"
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

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "junit-collapse", no_argument, NULL, 'C' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "repro-all", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct jread_journal j = { 0 };
	struct junit_stats st = { 0 };
	struct junit_opts jo = { .stats = &st };
	struct summary_opts so = { 0 };
	bool quiet = false;
	struct repro_opts ro = { 0 };
	struct repro_stats rs;
	const char *out = NULL;
	char *first = NULL, *path = NULL, self[PATH_MAX];
	ssize_t len;
	struct stat sb;
	int c, i, err, ret = FS_EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'C': jo.collapse = true; break;
		case 'q': quiet = true; break;
		case 'A': ro.all = true; break;
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

	/* The scripts default FAULTSWEEP to this very binary, by absolute path. */
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[len > 0 ? len : 0] = 0;
	ro.faultsweep = len > 0 ? self : NULL;
	if (repro_write_all(&j, out, &ro, &rs)) {
		ret = FS_EXIT_IO;
		goto out;
	}
	if (rs.failing)
		printf("faultsweep report: wrote %zu reproducers in %s/repro for %zu failing steps "
		       "(%zu with a finding already covered%s)\n", rs.written, out, rs.failing,
		       rs.dup, rs.unknown ? ", some of cases this binary lacks, see above" : "");

	free(path);
	if (asprintf(&path, "%s/summary.txt", out) < 0) {
		path = NULL;
		ret = FS_EXIT_IO;
		goto out;
	}
	so.out_dir = out;
	err = summary_write(&j, path, &so);
	if (err) {
		fprintf(stderr, "faultsweep report: cannot write %s: %s\n", path, strerror(-err));
		ret = FS_EXIT_IO;
		goto out;
	}
	if (!quiet) {
		putchar('\n');
		summary_print(stdout, &j, &so);
	}
	printf("faultsweep report: wrote %s\n", path);
out:
	jread_free(&j);
	free(first);
	free(path);
	return ret;
}
