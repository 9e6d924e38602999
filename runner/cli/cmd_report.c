/* `faultsweep report`: re-makes JUnit, reproducers, the coverage map and the summary from journals. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/jread.h"
#include "runner/cli/cli.h"
#include "runner/base/exitcodes.h"
#include "reports/make.h"

static const char usage[] =
	"usage: faultsweep report [--out DIR] [--junit-collapse] [--repro-all]\n"
	"                         [--vmlinux FILE] [--modules DIR|FILE]...\n"
	"                         [--coverage-scope DIR|MODULE]... [-q] JOURNAL...\n"
	"\n"
	"Reads the journals (later ones win for the same case and N) and writes\n"
	"DIR/junit.xml (one testsuite per area, one testcase per (case, N)),\n"
	"DIR/repro/<case>-n<N>.c and .sh for the first failing step of each finding\n"
	"title (docs/bisect.md), the coverage map of allocation sites, faulted\n"
	"and not, in DIR/coverage/ (coverage.json, coverage.info, html/ with\n"
	"genhtml), and\n"
	"DIR/summary.txt (findings by title, verdict counts, points per case, top\n"
	"sites), also printed unless -q.\n"
	"\n"
	"  -o, --out DIR         where to write (default: the first journal's directory)\n"
	"      --junit-collapse  one testcase per case instead of per (case, N)\n"
	"      --repro-all       a reproducer for every failing step, not one per title\n"
	"      --vmlinux FILE    symbolize sites against FILE (default: vmlinux in the\n"
	"                        kernel build directory the run record names)\n"
	"      --modules PATH    a .ko, or a directory searched for them (repeatable)\n"
	"      --coverage-scope DIR|MODULE\n"
	"                        count the allocation sites below DIR of the kernel\n"
	"                        source (net/sched), or of a module (a name or a .ko);\n"
	"                        \"vmlinux\" for all of it (repeatable; default: the\n"
	"                        directories and modules the faults touched)\n"
	"  -q, --quiet           do not print the summary\n"
	"  -h, --help            this text\n";

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "junit-collapse", no_argument, NULL, 'C' },
		{ "repro-all", no_argument, NULL, 'A' },
		{ "vmlinux", required_argument, NULL, 'v' },
		{ "modules", required_argument, NULL, 'M' },
		{ "coverage-scope", required_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct jread_journal j = { 0 };
	struct report_opts ro = { 0 };
	const char *out = NULL, *mods[64], *scopes[64];
	char *first = NULL;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'C': ro.collapse = true; break;
		case 'A': ro.repro_all = true; break;
		case 'v': ro.vmlinux = optarg; break;
		case 'q': ro.quiet = true; break;
		case 'M':
			if (ro.nmodules == sizeof(mods) / sizeof(mods[0])) {
				fprintf(stderr, "faultsweep report: too many --modules (64 at most)\n");
				return FS_EXIT_USAGE;
			}
			mods[ro.nmodules++] = optarg;
			break;
		case 'S':
			if (ro.nscopes == sizeof(scopes) / sizeof(scopes[0]) || !*optarg) {
				fprintf(stderr, "faultsweep report: --coverage-scope: %s\n", *optarg ?
					"64 at most" : "empty scope");
				return FS_EXIT_USAGE;
			}
			scopes[ro.nscopes++] = optarg;
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
	ro.modules = mods;
	ro.scopes = scopes;
	if (optind == argc) {
		fprintf(stderr, "faultsweep report: no journal given\n\n%s", usage);
		return FS_EXIT_USAGE;
	}
	if (out && !*out) {
		fprintf(stderr, "faultsweep report: --out: empty directory name\n");
		return FS_EXIT_USAGE;
	}
	ret = report_load(&j, (const char *const *)argv + optind, argc - optind);
	if (ret) {
		ret = ret == -EINVAL ? FS_EXIT_USAGE : FS_EXIT_IO;
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
	ret = report_make(&j, out, &ro) ? FS_EXIT_IO : FS_EXIT_OK;
out:
	jread_free(&j);
	free(first);
	return ret;
}
