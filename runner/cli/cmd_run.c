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

#include "journal/journal.h"
#include "runner/cli/cli.h"
#include "runner/corpus/corpus.h"
#include "runner/module/modcase.h"
#include "journal/run_journal.h"
#include "runner/cli/run_scn.h"
#include "runner/base/exitcodes.h"
#include "runner/inject/failnth.h"
#include "journal/outdir.h"
#include "runner/capture/kcap.h"
#include "runner/inject/kconfig.h"
#include "runner/capture/kleak.h"
#include "runner/inject/knobs.h"
#include "runner/sweep/oracle.h"
#include "runner/sweep/progress.h"
#include "harness/registry.h"
#include "reports/make.h"
#include "runner/sweep/resume.h"
#include "runner/cli/run.h"
#include "runner/sweep/sup.h"
#include "runner/vm/run_vm.h"
#include "runner/sweep/zygote.h"


static volatile bool stop_flag;

struct sup_thread_arg {
	const struct sup_opts *o;
	struct sup_case *cases;
	size_t n;
	struct sup_stats *st;
	/* program scenarios, swept after the cases */
	const struct fs_scenario_list *scns;
	const struct run_opts *ro;
	const char *resume_journal;
	struct run_scn_result scn;
	volatile bool done;
	int ret;
};

/*
 * The cases, then the program scenarios (exec engine), on this thread: the
 * main thread keeps taking signals and drawing the progress line.
 */
static void *sup_thread(void *arg)
{
	struct sup_thread_arg *a = arg;
	struct fs_exec_ctx ctx = { .journal = a->o->journal, .run_id = a->o->run_id,
				   .kcap = a->o->kcap, .st = a->st, .stop = &stop_flag };

	a->ret = sup_run(a->o, a->cases, a->n, a->st, &stop_flag);
	if (!a->ret && !stop_flag)
		a->ret = run_scn_sweep(a->scns, a->ro, a->o->sites, &ctx, a->resume_journal,
				       &a->scn);
	a->done = true;
	return NULL;
}

/* A resumed run answers for the whole journal, not only for its own steps. */
static bool any_verdict(const struct sup_case *cases, size_t n, const char *verdict)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cases[i].verdict, verdict))
			return true;
	return false;
}

/* Scenarios that cannot run here are CONF cases with the reason (never silent). */
static void write_scenario_confs(struct journal *j, const struct fs_scenario_list *sl)
{
	int i;

	for (i = 0; i < sl->n; i++) {
		const struct fs_scenario *sc = &sl->items[i];
		struct jb b;

		if (!*sc->conf)
			continue;
		jb_begin(&b);
		jb_str(&b, "type", "case");
		jb_str(&b, "case", sc->name);
		jb_str(&b, "area", sc->area);
		jb_str(&b, "verdict", "CONF");
		jb_str(&b, "reason", sc->conf);
		journal_write(j, jb_end(&b));
	}
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


void run_defaults(struct run_opts *ro)
{
	*ro = (struct run_opts){ .out = "out", .retry = true, .timeout_s = 30, .kmemleak = true,
				 .kleak_every = 20, .faults = FS_FAULT_SLAB | FS_FAULT_PAGE,
				 .faults_s = "slab,page" };
}

int cmd_run(int argc, char **argv)
{
	struct run_opts ro;
	int ret;

	run_defaults(&ro);
	ret = run_parse(argc, argv, &ro);
	if (ret)
		return ret > 0 ? FS_EXIT_OK : FS_EXIT_USAGE;
	return cmd_run_parsed(&ro, argc, argv);
}

/* `run --vm`: re-run ourselves inside the test VM with the same arguments minus the VM ones. */
static int run_in_vm(const struct run_opts *ro, int argc, char **argv)
{
	struct run_vm_self so = { .cmd = "run", .kernel = ro->kernel, .out = ro->out,
				  .timeout_s = ro->timeout_s, .quiet = ro->quiet,
				  .panic_on_warn = ro->panic_on_warn,
				  .panic_on_oops = ro->panic_on_oops, .no_report = ro->no_report,
				  .resume = true };
	char **args = calloc(argc + 1, sizeof(*args));
	int i, n = 0, rc;

	if (!args)
		return FS_EXIT_SETUP;
	for (i = 1; i < argc; i++)
		if (!run_vm_host_arg(argv, &i))
			args[n++] = argv[i];
	rc = run_vm_self(&so, n, args);
	free(args);
	return rc;
}

int cmd_run_parsed(struct run_opts *rop, int argc, char **argv)
{
	struct run_opts ro = *rop;
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
	bool has_site, dumps;
	static volatile bool reboot;
	struct fs_scenario_list scns = { 0 };
	int ret;

	/* Selection errors are usage errors, found before anything boots or is armed. */
	ret = run_select(&ro, &cases, &n, &scns);
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
	write_scenario_confs(j, &scns);
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

	/*
	 * Sites from fail-nth-site cost a pread per fired step: on by default
	 * where the kernel has it. The dumps cost ~18% (docs/coverage.md): only
	 * when asked for.
	 */
	has_site = failnth_has_site();
	so.sites = has_site && (ro.coverage == RUN_COV_AUTO || ro.coverage == RUN_COV_ON);
	dumps = ro.coverage == RUN_COV_DUMPS || (ro.coverage == RUN_COV_ON && !has_site);
	if (knobs_apply(ro.faults, dumps ? 2 : 0, why, sizeof(why))) {
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
	run_journal_header(j, &(struct run_header){ .run_id = run_id, .faults = ro.faults_s,
		.site_source = so.sites ? "patch" : dumps ? "dumps" : "", .jobs = ro.jobs,
		.ncases = n, .resume = ro.resume });
	so.jobs = ro.jobs;
	so.timeout_s = ro.timeout_s;
	so.max_nth = ro.max_nth;
	so.faults = ro.faults;
	so.retry = ro.retry;
	so.tmpdir = tmpdir;
	so.journal = j;
	so.run_id = run_id;
	so.duration_s = ro.duration_s;
	so.reboot = &reboot;
	/* Which of kernel/patches' features this kernel has: the summary says it. */
	failnth_features_text(failnth_features(), why, sizeof(why));
	run_journal_note(j, run_id, "kernel features: %s", why);
	so.kcap = kcap_start(j, run_id, &st, why, sizeof(why));
	if (!so.kcap) {
		fprintf(stderr, "faultsweep run: kernel reports will not be captured: %s\n", why);
		run_journal_note(j, run_id, "kernel reports were not captured: %s", why);
	}
	for (i = 0; i < n; i++)
		modcase_journal(j, run_id, cases[i].h, failnth_has_module_scope());
	for (i = 0; i < n; i++) {
		if (!cases[i].h->scope_module)
			continue;
		if (failnth_has_module_scope())
			run_journal_note(j, run_id, "module scope: on (fail-nth-module): N of the "
				   "module cases counts only %s's own fault points",
				   cases[i].h->scope_module);
		else
			run_journal_note(j, run_id, "module scope: off (this kernel has no "
				   "fail-nth-module): N of the module cases counts the whole load");
		break;
	}
	*leak_note = 0;
	if (!ro.kmemleak)
		snprintf(leak_note, sizeof(leak_note), "kmemleak: off (--no-kmemleak)");
	else if (kleak_init(leak_note, sizeof(leak_note)) == 0)
		so.kleak_every = ro.kleak_every;
	if (*leak_note)
		run_journal_note(j, run_id, "%s", leak_note);
	st.cases_total = n;
	for (i = 0; i < n; i++)
		st.cases_done += cases[i].done;
	ta.o = &so;
	ta.cases = cases;
	ta.n = n;
	ta.st = &st;
	ta.scns = &scns;
	ta.ro = &ro;
	ta.resume_journal = ro.resume ? jpath : NULL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	progress_init(&pr, ro.quiet);
	pthread_create(&tid, NULL, sup_thread, &ta);
	while (!ta.done) {
		struct timespec tick = { 0, 200 * 1000 * 1000 };
		int sig = sigtimedwait(&sigs, NULL, &tick);

		if (sig > 0 && !stop_flag && !reboot) {
			fprintf(stderr, "\nfaultsweep run: %s: stopping workers, restoring knobs "
				"(results so far are in %s; --resume continues)\n",
				strsignal(sig), jpath);
			stop_flag = true;
		}
		progress_tick(&pr, &st);
	}
	pthread_join(tid, NULL);
	if (so.kleak_every && (!stop_flag || reboot))
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
	if (so.sites)
		printf("faultsweep: coverage: %llu site records from fail-nth-site "
		       "(faults fired: %llu)\n", (unsigned long long)st.sites,
		       (unsigned long long)st.fired);
	else if (dumps)
		printf("faultsweep: coverage: %u fault-injection dumps journaled as site records "
		       "(faults fired: %llu)\n", nsites, (unsigned long long)st.fired);
	journal_close(j);
	if (reboot)
		ret = FS_EXIT_REBOOT;
	else if (stop_flag)
		ret = FS_EXIT_INTERRUPTED;
	else if (ta.ret)
		ret = FS_EXIT_IO;
	else if (st.fail || ta.scn.fails || any_verdict(cases, n, "FAIL"))
		ret = FS_EXIT_FINDINGS;
	else if (st.brok || ta.scn.broks || any_verdict(cases, n, "BROK"))
		ret = FS_EXIT_BROKEN;
	else
		ret = FS_EXIT_OK;
	free(cases);
	scn_list_free(&scns);
	/* Results first, reports after: a report that fails loses nothing. */
	if (!ro.no_report && report_after_run(jpath, ro.out) && ret == FS_EXIT_OK)
		ret = FS_EXIT_IO;
	return ret;
}
