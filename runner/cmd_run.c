/* `faultsweep run`: options, environment checks, knobs, the supervisor, progress and summary. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "reports/journal.h"
#include "runner/cli.h"
#include "runner/corpus.h"
#include "runner/exitcodes.h"
#include "runner/failnth.h"
#include "runner/kbuild.h"
#include "runner/fsutil.h"
#include "runner/kcap.h"
#include "runner/kconfig.h"
#include "runner/kleak.h"
#include "runner/knobs.h"
#include "runner/oracle.h"
#include "runner/progress.h"
#include "runner/registry.h"
#include "runner/resume.h"
#include "runner/sup.h"
#include "runner/vm.h"
#include "runner/vmresume.h"
#include "runner/zygote.h"

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
	"  --coverage         record the allocation site of each fault from the\n"
	"                     kernel's FAULT_INJECTION stack dumps (verbose=2) for\n"
	"                     the coverage map (alias: --fault-dumps)\n"
	"  --no-coverage      no stack dumps, no site records (the default)\n"
	"  --out DIR          results directory (default out)\n"
	"  --corpus FILE      read patterns from FILE (default corpus/default)\n"
	"  --resume           continue OUT/journal.jsonl where it stopped\n"
	"  --duration S       benchmark: re-sweep the selection for S seconds\n"
	"  -q, --quiet        no progress line\n"
	"\n"
	"Exit: 0 clean, 1 findings, 2 usage, 3 no fault injection here, 5 broken\n"
	"harnesses only, 6 cannot write results, 130 interrupted (docs/exit-codes.md).\n";

struct run_opts {
	bool vm, resume, quiet, retry, dumps, panic_on_warn, panic_on_oops, kmemleak;
	unsigned kleak_every;
	const char *kernel, *out, *corpus, *faults_s;
	unsigned jobs, timeout_s, max_nth, faults;
	double duration_s;
	char **patterns;
	int npatterns;
};

static volatile bool stop_flag;

struct sup_thread_arg {
	const struct sup_opts *o;
	struct sup_case *cases;
	size_t n;
	struct sup_stats *st;
	volatile bool done;
	int ret;
};

static void *sup_thread(void *arg)
{
	struct sup_thread_arg *a = arg;

	a->ret = sup_run(a->o, a->cases, a->n, a->st, &stop_flag);
	a->done = true;
	return NULL;
}

/*
 * The build directory of the kernel that boots: BZIMAGE's tree when it sits
 * at arch/x86/boot/bzImage of one, else the cached default build. -ENOENT
 * when there is none.
 */
static int kernel_build_dir(const char *bzimage, char *buf, size_t len)
{
	static const char tail[] = "/arch/x86/boot/bzImage";
	char path[PATH_MAX];
	size_t n;

	if (bzimage) {
		if (!realpath(bzimage, path))
			return -errno;
	} else if (kbuild_default_bzimage(path, sizeof(path))) {
		return -ENOENT;
	}
	n = strlen(path);
	if (n <= sizeof(tail) - 1 || strcmp(path + n - (sizeof(tail) - 1), tail))
		return -ENOENT;
	path[n - (sizeof(tail) - 1)] = 0;
	snprintf(buf, len, "%s", path);
	return 0;
}

/* Re-run ourselves inside the test VM with the same arguments minus the VM ones. */
static int run_in_vm(const struct run_opts *ro, int argc, char **argv)
{
	struct fs_vm_opts vo = { .out = ro->out, .mem_mb = 2048, .boot_timeout_s = 120,
				 .loglevel = 4, .kvm = -1, .kernel = ro->kernel, .quiet = ro->quiet };
	char self[PATH_MAX], out[PATH_MAX], journal[PATH_MAX + 16], append[64];
	char kenv[PATH_MAX + 32], *envs[1];
	char **args = calloc(argc + 5, sizeof(*args));
	bool resumed = false;
	int i, n = 0, rc, restarts = 0;
	ssize_t len;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (!args || len < 0)
		return FS_EXIT_SETUP;
	self[len] = 0;
	if (fs_mkdir_p(ro->out)) {
		fprintf(stderr, "faultsweep run: --out %s: %s\n", ro->out, strerror(errno));
		return FS_EXIT_IO;
	}
	if (!realpath(ro->out, out))
		return FS_EXIT_IO;
	args[n++] = self;
	args[n++] = "run";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--vm") || !strcmp(argv[i], "--panic-on-warn") ||
		    !strcmp(argv[i], "--panic-on-oops"))
			continue;
		if (!strcmp(argv[i], "--resume"))
			resumed = true;
		if (!strcmp(argv[i], "--kernel") || !strcmp(argv[i], "--out")) {
			i++;
			continue;
		}
		if (!strncmp(argv[i], "--kernel=", 9) || !strncmp(argv[i], "--out=", 6))
			continue;
		args[n++] = argv[i];
	}
	args[n++] = "--out";
	args[n++] = out;
	vo.argv = args;
	vo.argc = n;
	/* The guest journals where its kernel was built: report finds vmlinux there. */
	if (kernel_build_dir(ro->kernel, kenv + 16, sizeof(kenv) - 16) == 0) {
		memcpy(kenv, "FS_KERNEL_BUILD=", 16);
		envs[0] = kenv;
		vo.env = envs;
		vo.envc = 1;
	}
	snprintf(append, sizeof(append), "%s%s", ro->panic_on_warn ? "panic_on_warn=1 " : "",
		 ro->panic_on_oops ? "oops=panic " : "");
	vo.append = append;
	snprintf(journal, sizeof(journal), "%s/journal.jsonl", out);
	vo.watch_file = journal;
	/* No journal growth for several per-step timeouts: the kernel is stuck. */
	vo.idle_timeout_s = ro->timeout_s * 4 + 60;
	for (;;) {
		char console[PATH_MAX + 16], kept[PATH_MAX + 32];

		rc = vm_run(&vo);
		if (rc != FS_EXIT_VM_PANIC && rc != FS_EXIT_VM_LOST && rc != FS_EXIT_VM_TIMEOUT)
			break;
		if (++restarts > 20) {
			fprintf(stderr, "faultsweep run: the kernel died 20 times; giving up "
				"(journal: %s)\n", journal);
			break;
		}
		snprintf(console, sizeof(console), "%s/console.log", out);
		snprintf(kept, sizeof(kept), "%s/console.crash%d.log", out, restarts);
		rename(console, kept);
		if (vmr_record_crash(out, rc, kept))
			break;
		if (!resumed) {
			args[vo.argc++] = "--resume";
			resumed = true;
		}
	}
	if (restarts)
		fprintf(stderr, "faultsweep run: the kernel died %d time(s); each death is a "
			"FAIL step in %s\n", restarts, journal);
	free(args);
	return restarts && rc == FS_EXIT_OK ? FS_EXIT_FINDINGS : rc;
}

static int parse(int argc, char **argv, struct run_opts *ro)
{
	static const struct option opts[] = {
		{ "vm", no_argument, NULL, 'V' },
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
		{ "fault-dumps", no_argument, NULL, 'D' },
		{ "coverage", no_argument, NULL, 'D' },
		{ "no-coverage", no_argument, NULL, 'N' },
		{ "out", required_argument, NULL, 'o' },
		{ "corpus", required_argument, NULL, 'c' },
		{ "resume", no_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	char bad[64];
	int c, mask;

	while ((c = getopt_long(argc, argv, "j:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'V': ro->vm = true; break;
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
		case 'R': ro->retry = false; break;
		case 'D': ro->dumps = true; break;
		case 'N': ro->dumps = false; break;
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
			mask = knobs_parse_faults(optarg, bad, sizeof(bad));
			if (mask < 0) {
				fprintf(stderr, "faultsweep run: --faults: unknown fault type '%s' "
					"(want slab, page, usercopy, futex)\n", bad);
				return -EINVAL;
			}
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
	ro->patterns = argv + optind;
	ro->npatterns = argc - optind;
	return 0;
}

/* Select the cases: every pattern must match something. */
static int select_cases(const struct run_opts *ro, struct sup_case **out, size_t *nout)
{
	struct fs_pattern_list pl = { 0 };
	struct sup_case *cases;
	size_t i, n = 0, total = fs_harness_count();
	int p, ret = 0;

	if (ro->npatterns) {
		for (p = 0; p < ro->npatterns; p++)
			corpus_add_pattern(&pl, ro->patterns[p], "command line", 0);
	} else {
		char path[PATH_MAX];

		if (ro->corpus)
			snprintf(path, sizeof(path), "%s", ro->corpus);
		else
			snprintf(path, sizeof(path), "%s/corpus/default", fs_home());
		ret = corpus_load(path, &pl);
		if (ret)
			return ret;
	}
	cases = calloc(total ? total : 1, sizeof(*cases));
	if (!cases)
		return -ENOMEM;
	for (p = 0; p < pl.n; p++) {
		bool any = false;

		for (i = 0; i < total; i++) {
			const struct fs_harness *h = fs_harness_at(i);
			size_t k;

			if (!reg_matches(h, pl.items[p].pattern))
				continue;
			any = true;
			for (k = 0; k < n && cases[k].h != h; k++)
				;
			if (k == n)
				cases[n++].h = h;
		}
		if (!any) {
			const struct fs_harness *near[5];
			size_t k, m = reg_nearest(pl.items[p].pattern, near, 5);

			fprintf(stderr, "faultsweep run: %s%s%.0d%s no case matches '%s'",
				pl.items[p].where, pl.items[p].line ? ":" : "", pl.items[p].line,
				pl.items[p].line || *pl.items[p].where ? ":" : "", pl.items[p].pattern);
			for (k = 0; k < m; k++)
				fprintf(stderr, "%s%s", k ? ", " : "; nearest: ", near[k]->name);
			fprintf(stderr, "\n(see 'faultsweep list')\n");
			ret = -ENOENT;
		}
	}
	corpus_free(&pl);
	if (ret) {
		free(cases);
		return ret;
	}
	*out = cases;
	*nout = n;
	return 0;
}

static void print_summary(FILE *f, const struct sup_stats *st, const struct sup_case *cases,
			  size_t n, double secs, const char *journal)
{
	uint64_t points = 0;
	unsigned pass = 0, fail = 0, brok = 0, conf = 0, nondet = 0, unfinished = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		points += cases[i].points;
		nondet += cases[i].nondet;
		if (!cases[i].done)
			unfinished++;
		else if (!strcmp(cases[i].verdict, "FAIL"))
			fail++;
		else if (!strcmp(cases[i].verdict, "BROK"))
			brok++;
		else if (!strcmp(cases[i].verdict, "CONF"))
			conf++;
		else
			pass++;
	}
	fprintf(f, "\nfaultsweep: %zu cases: %u PASS, %u FAIL, %u BROK, %u CONF", n, pass, fail,
		brok, conf);
	if (unfinished)
		fprintf(f, ", %u unfinished", unfinished);
	fprintf(f, "\nfaultsweep: %llu steps, %llu fault points, %llu faults fired "
		"(%llu swallowed by the kernel), %.1f s, %.0f steps/s\n",
		(unsigned long long)st->steps, (unsigned long long)points,
		(unsigned long long)st->fired, (unsigned long long)st->swallowed, secs,
		secs > 0 ? st->steps / secs : 0.0);
	if (st->kinds_n) {
		fprintf(f, "faultsweep: findings by kind:");
		for (i = 0; i < st->kinds_n; i++)
			fprintf(f, " %s=%u", st->kinds[i], st->kind_count[i]);
		fputc('\n', f);
	} else {
		fprintf(f, "faultsweep: no findings\n");
	}
	if (nondet)
		fprintf(f, "faultsweep: %u cases had a varying number of fault points "
			"(nondeterministic; see the journal)\n", nondet);
	for (i = 0; i < n; i++)
		if (cases[i].done && strcmp(cases[i].verdict, "PASS"))
			fprintf(f, "  %-5s %s.%s (%u points)\n", cases[i].verdict, cases[i].h->area,
				cases[i].h->name, cases[i].points);
	fprintf(f, "faultsweep: journal: %s\n", journal);
}

static void write_header(struct journal *j, const char *run_id, const struct run_opts *ro,
			 size_t ncases)
{
	const char *kbuild = getenv("FS_KERNEL_BUILD");
	char modbuild[PATH_MAX], real[PATH_MAX];
	struct utsname u;
	struct jb b;

	uname(&u);
	/* Where report finds vmlinux: from run --vm, else this kernel's build link. */
	if (!kbuild || !*kbuild) {
		snprintf(modbuild, sizeof(modbuild), "/lib/modules/%s/build", u.release);
		kbuild = realpath(modbuild, real) ? real : "";
	}
	jb_begin(&b);
	jb_str(&b, "type", "run");
	jb_str(&b, "run", run_id);
	jb_str(&b, "version", FS_VERSION);
	jb_str(&b, "kernel", u.release);
	jb_str(&b, "faults", ro->faults_s);
	jb_uint(&b, "jobs", ro->jobs);
	jb_uint(&b, "cases", ncases);
	jb_bool(&b, "resume", ro->resume);
	jb_bool(&b, "coverage", ro->dumps);
	jb_str(&b, "kernel_build", kbuild);
	jb_int(&b, "ts", (int64_t)time(NULL) * 1000);
	journal_write(j, jb_end(&b));
}

/* A "note" record: what the summary must say about the whole run (no silence). */
__attribute__((format(printf, 3, 4)))
static void write_note(struct journal *j, const char *run_id, const char *fmt, ...)
{
	char text[600];
	struct jb b;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	jb_begin(&b);
	jb_str(&b, "type", "note");
	jb_str(&b, "run", run_id);
	jb_str(&b, "text", text);
	journal_write(j, jb_end(&b));
}

int cmd_run(int argc, char **argv)
{
	struct run_opts ro = { .out = "out", .retry = true, .timeout_s = 30, .kmemleak = true,
			       .kleak_every = 20,
			       .faults = FS_FAULT_SLAB | FS_FAULT_PAGE, .faults_s = "slab,page" };
	struct sup_opts so = { 0 };
	struct sup_stats st = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct sup_thread_arg ta = { 0 };
	struct sup_case *cases = NULL;
	struct journal *j = NULL;
	char why[512], jpath[PATH_MAX], tmpdir[64], run_id[32], leak_note[256];
	struct timespec t0, t1;
	struct progress pr;
	sigset_t sigs;
	pthread_t tid;
	size_t n = 0, i;
	unsigned nsites = 0;
	int ret;

	ret = parse(argc, argv, &ro);
	if (ret)
		return ret > 0 ? FS_EXIT_OK : FS_EXIT_USAGE;
	/* Selection errors are usage errors, found before anything boots or is armed. */
	ret = select_cases(&ro, &cases, &n);
	if (ret)
		return ret == -ENOENT || ret == -EINVAL ? FS_EXIT_USAGE : FS_EXIT_IO;
	if (ro.vm) {
		free(cases);
		return run_in_vm(&ro, argc, argv);
	}
	if (failnth_check_env(why, sizeof(why))) {
		fprintf(stderr, "faultsweep run: %s\n", why);
		free(cases);
		return FS_EXIT_NOFAULT;
	}
	if (!ro.jobs)
		ro.jobs = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
	if ((ret = fs_mkdir_p(ro.out))) {
		fprintf(stderr, "faultsweep run: --out %s: %s\n", ro.out, strerror(-ret));
		free(cases);
		return FS_EXIT_IO;
	}
	snprintf(jpath, sizeof(jpath), "%s/journal.jsonl", ro.out);
	if (ro.resume) {
		ret = resume_load(jpath, cases, n);
		if (ret < 0) {
			fprintf(stderr, "faultsweep run: --resume: %s: %s\n", jpath, strerror(-ret));
			free(cases);
			return FS_EXIT_USAGE;
		}
	} else {
		/* A new run starts a new journal; the old one is kept beside it. */
		char old[PATH_MAX + 8];

		snprintf(old, sizeof(old), "%s.old", jpath);
		rename(jpath, old);
	}
	ret = journal_open(&j, jpath, true);
	if (ret) {
		fprintf(stderr, "faultsweep run: %s: %s\n", jpath, strerror(-ret));
		free(cases);
		return FS_EXIT_IO;
	}
	/* Before any thread exists: the zygote must be a single-threaded copy. */
	so.zygote = zyg_start() == 0;
	/* CONF before sweeping: a case whose kernel options are missing. */
	kconfig_load();
	for (i = 0; i < n; i++) {
		const char *const *need;

		for (need = cases[i].h->needs; need && *need; need++) {
			if (kconfig_enabled(*need))
				continue;
			cases[i].conf = cases[i].done = true;
			snprintf(cases[i].verdict, sizeof(cases[i].verdict), "CONF");
			{
				struct jb b;
				char reason[128];

				snprintf(reason, sizeof(reason), "%s is not set in this kernel", *need);
				jb_begin(&b);
				jb_str(&b, "type", "case");
				jb_str(&b, "case", cases[i].h->name);
				jb_str(&b, "area", cases[i].h->area);
				jb_str(&b, "verdict", "CONF");
				jb_str(&b, "reason", reason);
				journal_write(j, jb_end(&b));
			}
			st.conf++;
			break;
		}
	}

	if (knobs_apply(ro.faults, ro.dumps ? 2 : 0, why, sizeof(why))) {
		fprintf(stderr, "faultsweep run: %s\n", why);
		journal_close(j);
		free(cases);
		return FS_EXIT_NOFAULT;
	}
	/* A worker that exits leaves its ack pipe without a reader: EPIPE, not death. */
	signal(SIGPIPE, SIG_IGN);
	/* Signals are taken synchronously by this thread; workers unblock them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	snprintf(run_id, sizeof(run_id), "%lx-%d", (long)time(NULL), getpid());
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/faultsweep-%d", getpid());
	mkdir(tmpdir, 0700);
	write_header(j, run_id, &ro, n);
	so.jobs = ro.jobs;
	so.timeout_s = ro.timeout_s;
	so.max_nth = ro.max_nth;
	so.faults = ro.faults;
	so.retry = ro.retry;
	so.tmpdir = tmpdir;
	so.journal = j;
	so.run_id = run_id;
	so.duration_s = ro.duration_s;
	so.kcap = kcap_start(j, run_id, &st, why, sizeof(why));
	if (!so.kcap) {
		fprintf(stderr, "faultsweep run: kernel reports will not be captured: %s\n", why);
		write_note(j, run_id, "kernel reports were not captured: %s", why);
	}
	*leak_note = 0;
	if (!ro.kmemleak)
		snprintf(leak_note, sizeof(leak_note), "kmemleak: off (--no-kmemleak)");
	else if (kleak_init(leak_note, sizeof(leak_note)) == 0)
		so.kleak_every = ro.kleak_every;
	if (*leak_note)
		write_note(j, run_id, "%s", leak_note);
	st.cases_total = n;
	for (i = 0; i < n; i++)
		st.cases_done += cases[i].done;
	ta.o = &so;
	ta.cases = cases;
	ta.n = n;
	ta.st = &st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	progress_init(&pr, ro.quiet);
	pthread_create(&tid, NULL, sup_thread, &ta);
	while (!ta.done) {
		struct timespec tick = { 0, 200 * 1000 * 1000 };
		int sig = sigtimedwait(&sigs, NULL, &tick);

		if (sig > 0 && !stop_flag) {
			fprintf(stderr, "\nfaultsweep run: %s: stopping workers, restoring knobs "
				"(results so far are in %s; --resume continues)\n",
				strsignal(sig), jpath);
			stop_flag = true;
		}
		progress_tick(&pr, &st);
	}
	pthread_join(tid, NULL);
	if (so.kleak_every && !stop_flag)
		kleak_scan(so.kcap, j, run_id, &st);
	nsites = so.kcap ? kcap_sites(so.kcap) : 0;
	kcap_stop(so.kcap);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	progress_done(&pr);
	knobs_restore();
	zyg_stop();
	rmdir(tmpdir);

	print_summary(stdout, &st, cases, n,
		      (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, jpath);
	if (*leak_note)
		printf("faultsweep: %s\n", leak_note);
	if (ro.dumps)
		printf("faultsweep: coverage: %u fault-injection dumps journaled as site records "
		       "(faults fired: %llu)\n", nsites, (unsigned long long)st.fired);
	journal_close(j);
	if (stop_flag)
		ret = FS_EXIT_INTERRUPTED;
	else if (ta.ret)
		ret = FS_EXIT_IO;
	else if (st.fail)
		ret = FS_EXIT_FINDINGS;
	else if (st.brok)
		ret = FS_EXIT_BROKEN;
	else
		ret = FS_EXIT_OK;
	free(cases);
	return ret;
}
