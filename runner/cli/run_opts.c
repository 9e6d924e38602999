/* `faultsweep run` options: the usage text and the parser. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/base/cmdline.h"
#include "runner/cli/cli.h"
#include "runner/base/exitcodes.h"
#include "runner/inject/knobs.h"
#include "runner/sweep/oracle.h"
#include "runner/cli/run.h"

static const char usage[] =
	"usage: faultsweep run [options] [PATTERN...]\n"
	"\n"
	"Sweep N = 1, 2, ... over every fault point of each matching case until the\n"
	"fault no longer fires. PATTERN: a case name, a glob ('socket*', 'net.*') or\n"
	"an area ('net'); none = the default corpus (corpus/default).\n"
	"\n"
	"  --vm               boot the test kernel and run inside it (same options)\n"
	"  --kernel BZIMAGE   with --vm: kernel to boot (default: the cached build)\n"
	"  --panic-on-warn    with --vm: a WARNING panics the kernel (the step is\n"
	"                     recorded, a new VM resumes at the next N)\n"
	"  --panic-on-oops    with --vm: likewise for an Oops\n"
	"  -j, --jobs N       workers in parallel (default: CPUs)\n"
	"  --timeout S        per-step timeout; a hung step is killed (default 30)\n"
	"  --max-nth N        stop each case at N (default: none)\n"
	"  --faults LIST      what may fire: slab,page,usercopy,futex (default slab,page)\n"
	"  --no-retry         skip the retry oracle\n"
	"  --no-kmemleak      no kmemleak scans\n"
	"  --kmemleak-every K scan for leaks after every K cases and at the end (20)\n"
	"  --coverage         record the allocation site of each fault for the\n"
	"                     coverage map: from fail-nth-site when the kernel has it\n"
	"                     (kernel/patches; the default there), else from the\n"
	"                     FAULT_INJECTION stack dumps (verbose=2, ~18% slower)\n"
	"  --fault-dumps      sites from the stack dumps even with fail-nth-site\n"
	"  --no-coverage      no site records (the default without fail-nth-site)\n"
	"  --out DIR          results directory (default out)\n"
	"  --corpus FILE      read patterns from FILE (default corpus/default)\n"
	"  --resume           continue OUT/journal.jsonl where it stopped\n"
	"  --duration S       benchmark: re-sweep the selection for S seconds\n"
	"  --no-report        do not make the reports at the end (faultsweep report does)\n"
	"  -q, --quiet        no progress line\n"
	"  --module KO        also sweep loading and unloading this kernel module\n"
	"                     (what `faultsweep module` does; docs/drivers.md)\n"
	"  --module-params P  its parameters (\"a=1 b=2\")\n"
	"  --no-module-scope  sweep the whole load, not only the module's own points\n"
	"  --exercise CMD     with --module: sweep CMD's syscalls (as faultsweep exec)\n"
	"                     while the module is loaded (insmod before each run)\n"
	"  --syscalls LIST    with --exercise: the syscalls to trap (faultsweep exec)\n"
	"\n"
	"Exit: 0 clean, 1 findings, 2 usage, 3 no fault injection here, 5 broken\n"
	"harnesses only, 6 cannot write results, 7 a module is stuck (reboot, then\n"
	"--resume), 130 interrupted (docs/exit-codes.md).\n";

int run_parse(int argc, char **argv, struct run_opts *ro)
{
	static const struct option opts[] = {
		{ "vm", no_argument, NULL, 'V' },
		{ "no-report", no_argument, NULL, 'P' },
		{ "panic-on-warn", no_argument, NULL, 'W' },
		{ "no-kmemleak", no_argument, NULL, 'L' },
		{ "kmemleak-every", required_argument, NULL, 'E' },
		{ "panic-on-oops", no_argument, NULL, 'O' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "max-nth", required_argument, NULL, 'm' },
		{ "faults", required_argument, NULL, 'f' },
		{ "no-retry", no_argument, NULL, 'R' },
		{ "fault-dumps", no_argument, NULL, 'F' },
		{ "coverage", no_argument, NULL, 'D' },
		{ "no-coverage", no_argument, NULL, 'N' },
		{ "out", required_argument, NULL, 'o' },
		{ "corpus", required_argument, NULL, 'c' },
		{ "resume", no_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "module", required_argument, NULL, 'M' },
		{ "module-params", required_argument, NULL, 'p' },
		{ "no-module-scope", no_argument, NULL, 'S' },
		{ "exercise", required_argument, NULL, 'X' },
		{ "syscalls", required_argument, NULL, 'Y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c, mask;

	while ((c = getopt_long(argc, argv, "j:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'V': ro->vm = true; break;
		case 'P': ro->no_report = true; break;
		case 'W': ro->panic_on_warn = true; break;
		case 'L': ro->kmemleak = false; break;
		case 'E':
			if (fs_parse_uint("--kmemleak-every", optarg, 1, 1 << 20, &v))
				return -EINVAL;
			ro->kleak_every = v;
			break;
		case 'O': ro->panic_on_oops = true; break;
		case 'k': ro->kernel = optarg; break;
		case 'o': ro->out = optarg; break;
		case 'c': ro->corpus = optarg; break;
		case 'r': ro->resume = true; break;
		case 'q': ro->quiet = true; break;
		case 'M': ro->module_ko = optarg; break;
		case 'p': ro->module_params = optarg; break;
		case 'S': ro->no_module_scope = true; break;
		case 'X': ro->exercise = optarg; break;
		case 'Y': ro->syscalls = optarg; break;
		case 'R': ro->retry = false; break;
		case 'D': ro->coverage = RUN_COV_ON; break;
		case 'F': ro->coverage = RUN_COV_DUMPS; break;
		case 'N': ro->coverage = RUN_COV_OFF; break;
		case 'j':
			if (fs_parse_uint("--jobs", optarg, 1, 256, &v))
				return -EINVAL;
			ro->jobs = v;
			break;
		case 't':
			if (fs_parse_uint("--timeout", optarg, 1, 86400, &v))
				return -EINVAL;
			ro->timeout_s = v;
			break;
		case 'm':
			if (fs_parse_uint("--max-nth", optarg, 1, ~0u, &v))
				return -EINVAL;
			ro->max_nth = v;
			break;
		case 'd':
			if (fs_parse_uint("--duration", optarg, 1, 86400, &v))
				return -EINVAL;
			ro->duration_s = v;
			break;
		case 'f':
			mask = knobs_faults_opt(argv[0], optarg);
			if (mask < 0)
				return -EINVAL;
			ro->faults = mask;
			ro->faults_s = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		default:
			fputs(usage, stderr);
			return -EINVAL;
		}
	}
	if (ro->exercise && !ro->module_ko && strcmp(argv[0], "module")) {
		fprintf(stderr, "faultsweep run: --exercise needs --module\n");
		return -EINVAL;
	}
	if (ro->syscalls && !ro->exercise) {
		fprintf(stderr, "faultsweep %s: --syscalls needs --exercise\n", argv[0]);
		return -EINVAL;
	}
	ro->patterns = argv + optind;
	ro->npatterns = argc - optind;
	return 0;
}
