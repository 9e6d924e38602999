/*
 * `faultsweep module KO [PARAM=VALUE...]`: sweep the load and the unload of
 * a kernel module. It is `run --module KO` with the module's cases only, so
 * everything `run` does (oracles, journal, capture, reports, --vm) applies.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/cli/cli.h"
#include "runner/base/exitcodes.h"
#include "runner/cli/run.h"

static const char usage[] =
	"usage: faultsweep module [options] KO [PARAM=VALUE...]\n"
	"\n"
	"Sweep finit_module(2) of the module KO, N = 1, 2, ... until the fault no\n"
	"longer fires, counting only the module's own fault points where the kernel\n"
	"has fail-nth-module (faultsweep's kernel patch 0003), else the whole load;\n"
	"then sweep delete_module(2). A module left stuck (init Oopsed) stops the\n"
	"run for a reboot; with --vm a new VM resumes the sweep.\n"
	"\n"
	"  --no-scope         sweep the whole load even where fail-nth-module exists\n"
	"  --exercise CMD     then sweep CMD's syscalls as `faultsweep exec` does,\n"
	"                     with the module loaded afresh for every run of CMD\n"
	"                     (CMD is split into words like sh, without a shell)\n"
	"  --vm, --out DIR, --timeout S, --faults LIST, -q ...\n"
	"                     as for `faultsweep run` (faultsweep run --help)\n"
	"\n"
	"Cases: module_<name>_load, module_<name>_unload (area module), and with\n"
	"--exercise module.module_<name>_exercise.<k>.<syscall>.\n"
	"Exit codes as for run; 2 also for a .ko built for another kernel\n"
	"(docs/drivers.md, docs/exit-codes.md).\n";

int cmd_module(int argc, char **argv)
{
	char ko[PATH_MAX], params[1024] = "", **args;
	struct run_opts ro;
	int i, nopt, n = 0, ret;
	size_t plen = 0;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return FS_EXIT_OK;
		}
		if (!strcmp(argv[i], "--no-scope"))
			argv[i] = "--no-module-scope";
	}
	run_defaults(&ro);
	ret = run_parse(argc, argv, &ro);
	if (ret)
		return ret > 0 ? FS_EXIT_OK : FS_EXIT_USAGE;
	if (ro.module_ko) {
		fprintf(stderr, "faultsweep module: the module is the first argument, not --module\n");
		return FS_EXIT_USAGE;
	}
	if (!ro.npatterns) {
		fputs(usage, stderr);
		return FS_EXIT_USAGE;
	}
	if (!realpath(ro.patterns[0], ko)) {
		fprintf(stderr, "faultsweep module: %s: %s\n", ro.patterns[0], strerror(errno));
		return FS_EXIT_USAGE;
	}
	for (i = 1; i < ro.npatterns; i++) {
		const char *p = ro.patterns[i];
		int w;

		if (!strchr(p, '=') || *p == '=' || strpbrk(p, "\n")) {
			fprintf(stderr, "faultsweep module: '%s' is not a module parameter "
				"(NAME=VALUE)\n", p);
			return FS_EXIT_USAGE;
		}
		w = snprintf(params + plen, sizeof(params) - plen, "%s%s", plen ? " " : "", p);
		if (w < 0 || (size_t)w >= sizeof(params) - plen) {
			fprintf(stderr, "faultsweep module: module parameters longer than %zu bytes\n",
				sizeof(params) - 1);
			return FS_EXIT_USAGE;
		}
		plen += w;
	}
	/*
	 * The argument list `run --vm` passes into the guest: the options as
	 * parsed (getopt moved them in front), then the module as an option.
	 */
	nopt = ro.patterns - argv;
	args = calloc(nopt + 6, sizeof(*args));
	if (!args)
		return FS_EXIT_IO;
	for (i = 0; i < nopt; i++)
		args[n++] = argv[i];
	args[n++] = "--module";
	args[n++] = ko;
	if (*params) {
		args[n++] = "--module-params";
		args[n++] = params;
	}
	ro.module_ko = ko;
	ro.module_params = params;
	ro.patterns = args + n;
	ro.npatterns = 0;
	ret = cmd_run_parsed(&ro, n, args);
	free(args);
	return ret;
}
