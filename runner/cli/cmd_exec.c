/* `faultsweep exec`: options, environment checks, knobs, kernel-log capture, the exec engine, reports. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "journal/journal.h"
#include "runner/base/cmdline.h"
#include "runner/cli/cli.h"
#include "runner/exec/exec.h"
#include "runner/exec/exec_sys.h"
#include "runner/base/exitcodes.h"
#include "runner/inject/failnth.h"
#include "journal/outdir.h"
#include "runner/capture/kcap.h"
#include "runner/inject/knobs.h"
#include "runner/sweep/oracle.h"
#include "reports/make.h"
#include "runner/vm/run_vm.h"
#include "journal/run_journal.h"

static const char usage[] =
	"usage: faultsweep exec [options] -- CMD [ARGS...]\n"
	"\n"
	"Run CMD under ptrace with a seccomp filter that stops it at the selected\n"
	"syscalls; a clean run counts the invocations, then each invocation k is\n"
	"swept at N = 1, 2, ... (CMD run afresh each time, fail-nth of the calling\n"
	"thread armed for that one call) until the fault no longer fires.\n"
	"\n"
	"  --syscalls LIST    what to trap: names, -NAME, 'default', 'all'\n"
	"                     (default: all but the noisy ones, docs/cli.md)\n"
	"  --max-calls K      sweep only the first K invocations\n"
	"  --max-nth N        stop each invocation at N\n"
	"  --timeout S        per run of CMD; a run past it is killed (default 30)\n"
	"  --setup CMD        sh -c CMD before each run (must exit 0)\n"
	"  --cleanup CMD      sh -c CMD after each run, and once before the first\n"
	"  --expect-exit N    the clean run's exit status (default 0)\n"
	"  --name NAME        case names exec.NAME.K.SYSCALL (default: CMD's basename)\n"
	"  --faults LIST      what may fire: slab,page,usercopy,futex (default slab,page)\n"
	"  --no-coverage      no site records (fail-nth-site)\n"
	"  --out DIR          results directory (default out)\n"
	"  --vm               boot the test kernel and run inside it\n"
	"  --kernel BZIMAGE   with --vm: kernel to boot (default: the cached build)\n"
	"  --panic-on-warn    with --vm: boot with panic_on_warn=1\n"
	"  --panic-on-oops    with --vm: boot with oops=panic\n"
	"  --resume           continue OUT/journal.jsonl where it stopped (--vm does\n"
	"                     it after a dead kernel)\n"
	"  --no-report        do not make the reports at the end\n"
	"  -q, --quiet        no progress lines\n"
	"\n"
	"Exit: 0 clean, 1 findings, 2 usage, 3 no fault injection here, 5 the clean\n"
	"run broke, 6 cannot write results, 126 CMD not executable, 127 CMD not\n"
	"found, 130 interrupted (docs/exit-codes.md).\n";

struct exec_cli {
	struct fs_exec_opts eo;
	const char *out, *kernel, *faults_s;
	unsigned faults;
	bool vm, quiet, no_report, no_coverage, panic_on_warn, panic_on_oops, resume;
};

static volatile bool stop_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = true;
}

/* Parse options up to CMD. Returns 0, 1 after --help, or -EINVAL after a message. */
static int parse(int argc, char **argv, struct exec_cli *x)
{
	static const struct option opts[] = {
		{ "syscalls", required_argument, NULL, 's' },
		{ "max-calls", required_argument, NULL, 'K' },
		{ "max-nth", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "setup", required_argument, NULL, 'S' },
		{ "cleanup", required_argument, NULL, 'C' },
		{ "expect-exit", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "faults", required_argument, NULL, 'f' },
		{ "no-coverage", no_argument, NULL, 'N' },
		{ "out", required_argument, NULL, 'o' },
		{ "vm", no_argument, NULL, 'V' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "panic-on-warn", no_argument, NULL, 'W' },
		{ "panic-on-oops", no_argument, NULL, 'O' },
		{ "no-report", no_argument, NULL, 'P' },
		{ "resume", no_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct exec_sysset set;
	unsigned long v;
	char why[256];
	int c, mask;

	/* '+': the first non-option is CMD; its own options are not ours. */
	while ((c = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (exec_sys_parse(optarg, &set, why, sizeof(why))) {
				fprintf(stderr, "faultsweep exec: --syscalls: %s\n", why);
				return -EINVAL;
			}
			x->eo.syscalls = optarg;
			break;
		case 'K':
			if (fs_parse_uint("--max-calls", optarg, 1, ~0u, &v))
				return -EINVAL;
			x->eo.max_calls = v;
			break;
		case 'm':
			if (fs_parse_uint("--max-nth", optarg, 1, ~0u, &v))
				return -EINVAL;
			x->eo.max_nth = v;
			break;
		case 't':
			if (fs_parse_uint("--timeout", optarg, 1, 86400, &v))
				return -EINVAL;
			x->eo.timeout_s = v;
			break;
		case 'e':
			if (fs_parse_uint("--expect-exit", optarg, 0, 255, &v))
				return -EINVAL;
			x->eo.expect_exit = v;
			break;
		case 'S': x->eo.setup = optarg; break;
		case 'C': x->eo.cleanup = optarg; break;
		case 'n': x->eo.name = optarg; break;
		case 'f':
			mask = knobs_faults_opt("exec", optarg);
			if (mask < 0)
				return -EINVAL;
			x->faults = mask;
			x->faults_s = optarg;
			break;
		case 'N': x->no_coverage = true; break;
		case 'o': x->out = optarg; break;
		case 'V': x->vm = true; break;
		case 'k': x->kernel = optarg; break;
		case 'W': x->panic_on_warn = true; break;
		case 'O': x->panic_on_oops = true; break;
		case 'P': x->no_report = true; break;
		case 'r': x->resume = true; break;
		case 'q': x->quiet = true; break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		default:
			fputs(usage, stderr);
			return -EINVAL;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "faultsweep exec: no command (faultsweep exec [options] -- CMD "
			"[ARGS...])\n");
		return -EINVAL;
	}
	x->eo.argv = argv + optind;
	return 0;
}

/* `exec --vm`: the same sweep inside the test VM, its options rebuilt in front of "--". */
static int exec_in_vm(const struct exec_cli *x, int argc, char **argv)
{
	struct run_vm_self so = { .cmd = "exec", .kernel = x->kernel, .out = x->out,
				  .timeout_s = x->eo.timeout_s ? x->eo.timeout_s : 30,
				  .quiet = x->quiet, .panic_on_warn = x->panic_on_warn,
				  .panic_on_oops = x->panic_on_oops, .no_report = x->no_report,
				  .resume = true };
	char **args = calloc(argc + 2, sizeof(*args));
	char *const *cmd = x->eo.argv;
	int i, n = 0, rc;

	if (!args)
		return FS_EXIT_SETUP;
	/* Our options as given (argv[1] up to CMD), without the VM ones. */
	for (i = 1; i < argc && argv + i != cmd; i++) {
		if (!strcmp(argv[i], "--") || run_vm_host_arg(argv, &i))
			continue;
		args[n++] = argv[i];
	}
	args[n++] = "--";
	for (; *cmd; cmd++)
		args[n++] = *cmd;
	rc = run_vm_self(&so, n, args);
	free(args);
	return rc;
}


int cmd_exec(int argc, char **argv)
{
	struct exec_cli x = { .out = "out", .faults = FS_FAULT_SLAB | FS_FAULT_PAGE,
			      .faults_s = "slab,page" };
	struct fs_stats st = FS_STATS_INIT;
	struct fs_exec_ctx ctx = { .stop = &stop_flag, .st = &st };
	struct fs_exec_result res;
	struct sigaction sa = { .sa_handler = on_stop };
	struct journal *j = NULL;
	char why[512], path[PATH_MAX], jpath[PATH_MAX + 16], old[PATH_MAX + 24], run_id[32];
	int ret, rc;

	ret = parse(argc, argv, &x);
	if (ret)
		return ret > 0 ? FS_EXIT_OK : FS_EXIT_USAGE;
	/* CMD must exist before anything is booted or armed (here or in the VM). */
	ret = exec_resolve(x.eo.argv[0], path, sizeof(path), why, sizeof(why));
	if (ret) {
		fprintf(stderr, "faultsweep exec: %s\n", why);
		return ret == -ENOENT ? FS_EXIT_NOTFOUND : FS_EXIT_NOEXEC;
	}
	if (x.vm)
		return exec_in_vm(&x, argc, argv);
	if (failnth_check_env(why, sizeof(why))) {
		fprintf(stderr, "faultsweep exec: %s\n", why);
		return FS_EXIT_NOFAULT;
	}
	x.eo.quiet = x.quiet;
	x.eo.sites = !x.no_coverage && failnth_has_site();
	if ((ret = fs_mkdir_p(x.out))) {
		fprintf(stderr, "faultsweep exec: --out %s: %s\n", x.out, strerror(-ret));
		return FS_EXIT_IO;
	}
	snprintf(jpath, sizeof(jpath), "%s/journal.jsonl", x.out);
	if (x.resume) {
		x.eo.resume = jpath;
	} else {
		/* A new sweep starts a new journal; the old one is kept beside it. */
		snprintf(old, sizeof(old), "%s.old", jpath);
		rename(jpath, old);
	}
	ret = journal_open(&j, jpath, true);
	if (ret) {
		fprintf(stderr, "faultsweep exec: %s: %s\n", jpath, strerror(-ret));
		return FS_EXIT_IO;
	}
	if (knobs_apply(x.faults, 0, why, sizeof(why))) {
		fprintf(stderr, "faultsweep exec: %s\n", why);
		journal_close(j);
		return FS_EXIT_NOFAULT;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	snprintf(run_id, sizeof(run_id), "%lx-%d", (long)time(NULL), getpid());
	run_journal_header(j, &(struct run_header){ .run_id = run_id, .faults = x.faults_s,
		.site_source = x.eo.sites ? "patch" : "", .command = "exec", .jobs = 1 });
	ctx.journal = j;
	ctx.run_id = run_id;
	ctx.kcap = kcap_start(j, run_id, &st, why, sizeof(why));
	if (!ctx.kcap)
		fprintf(stderr, "faultsweep exec: kernel reports will not be captured: %s\n", why);

	ret = exec_sweep(&x.eo, &ctx, &res);

	kcap_stop(ctx.kcap);
	knobs_restore();
	journal_close(j);
	if (ret == -EINVAL)
		return FS_EXIT_USAGE;
	if (ret == -ENOENT)
		return FS_EXIT_NOTFOUND;
	if (ret == -EACCES)
		return FS_EXIT_NOEXEC;
	printf("faultsweep exec: %u invocations trapped, %u swept: %u steps, %u faults fired, "
	       "%u skipped (nondeterministic), %u cases FAIL, %u BROK, %u kernel reports, "
	       "%.1f s\n", res.invocations, res.swept, res.steps, res.fired, res.skipped,
	       res.fails, res.broks, res.kreports, res.secs);
	printf("faultsweep exec: journal: %s\n", jpath);
	if (stop_flag)
		rc = FS_EXIT_INTERRUPTED;
	else if (ret)
		rc = FS_EXIT_IO;
	else if (res.fails)
		rc = FS_EXIT_FINDINGS;
	else if (res.broks)
		rc = FS_EXIT_BROKEN;
	else
		rc = FS_EXIT_OK;
	if (!x.no_report && report_after_run(jpath, x.out) && rc == FS_EXIT_OK)
		rc = FS_EXIT_IO;
	return rc;
}
