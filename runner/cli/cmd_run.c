/* `faultsweep run`: environment checks, the journal, knobs, the supervisor, progress and summary. */
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
#include "journal/records.h"
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

static volatile bool stop_flag, reboot;

/* One `faultsweep run` in this kernel: what it sweeps, and what it holds until its end. */
struct run {
	struct run_opts ro;
	struct sup_case *cases;
	size_t n;
	struct fs_scenario_list scns;	/* all of the corpus's; module ones are cases too */
	struct sup_opts so;
	struct fs_stats st;
	struct journal *j;
	bool dumps;			/* sites from the FAULT_INJECTION stack dumps */
	char jpath[PATH_MAX], tmpdir[64], run_id[32], leak_note[256];
};

struct sup_thread_arg {
	const struct sup_opts *o;
	struct sup_case *cases;
	size_t n;
	struct fs_stats *st;
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
static void write_scenario_confs(struct journal *j, const char *run_id,
				 const struct fs_scenario_list *sl)
{
	int i;

	for (i = 0; i < sl->n; i++) {
		const struct fs_scenario *sc = &sl->items[i];

		if (!*sc->conf)
			continue;
		jrec_case(j, &(struct jrec_case){
			.run = run_id, .case_name = sc->name, .area = sc->area,
			.verdict = fs_case_verdict(&(struct fs_case_tally){ .conf = true }),
			.reason = sc->conf });
	}
}

static void print_summary(FILE *f, const struct fs_stats *st, const struct sup_case *cases,
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

/* The kernel can fault, --out and the journal are there: 0, or the exit code. */
static int open_journal(struct run *r)
{
	char why[512];
	int ret;

	if (failnth_check_env(why, sizeof(why))) {
		fprintf(stderr, "faultsweep run: %s\n", why);
		return FS_EXIT_NOFAULT;
	}
	if (!r->ro.jobs)
		r->ro.jobs = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
	if ((ret = fs_mkdir_p(r->ro.out))) {
		fprintf(stderr, "faultsweep run: --out %s: %s\n", r->ro.out, strerror(-ret));
		return FS_EXIT_IO;
	}
	snprintf(r->jpath, sizeof(r->jpath), "%s/journal.jsonl", r->ro.out);
	if (r->ro.resume) {
		ret = resume_load(r->jpath, r->cases, r->n);
		if (ret < 0) {
			fprintf(stderr, "faultsweep run: --resume: %s: %s\n", r->jpath,
				strerror(-ret));
			return FS_EXIT_USAGE;
		}
	} else {
		/* A new run starts a new journal; the old one is kept beside it. */
		char old[PATH_MAX + 8];

		snprintf(old, sizeof(old), "%s.old", r->jpath);
		rename(r->jpath, old);
	}
	ret = journal_open(&r->j, r->jpath, true);
	if (ret) {
		fprintf(stderr, "faultsweep run: %s: %s\n", r->jpath, strerror(-ret));
		return FS_EXIT_IO;
	}
	return 0;
}

/* CONF before sweeping: a case whose kernel options are missing. */
static void conf_missing_options(struct run *r)
{
	struct sup_case *cases = r->cases;
	struct journal *j = r->j;
	size_t i;

	kconfig_load();
	for (i = 0; i < r->n; i++) {
		const char *const *need;

		for (need = cases[i].h->needs; need && *need; need++) {
			if (kconfig_enabled(*need))
				continue;
			cases[i].conf = cases[i].done = true;
			snprintf(cases[i].verdict, sizeof(cases[i].verdict), "CONF");
			{
				char reason[128];

				snprintf(reason, sizeof(reason), "%s is not set in this kernel", *need);
				jrec_case(j, &(struct jrec_case){
					.run = r->run_id, .case_name = cases[i].h->name,
					.area = cases[i].h->area,
					.verdict = fs_case_verdict(&(struct fs_case_tally){ .conf = true }),
					.reason = reason });
			}
			r->st.conf++;
			break;
		}
	}
}

/* Where the sites come from, and the debugfs knobs set for them: 0, or the exit code. */
static int arm(struct run *r)
{
	char why[512];
	bool has_site;

	/*
	 * Sites from fail-nth-site cost a pread per fired step: on by default
	 * where the kernel has it. The dumps cost ~18% (docs/coverage.md): only
	 * when asked for.
	 */
	has_site = failnth_has_site();
	r->so.sites = has_site && (r->ro.coverage == RUN_COV_AUTO || r->ro.coverage == RUN_COV_ON);
	r->dumps = r->ro.coverage == RUN_COV_DUMPS || (r->ro.coverage == RUN_COV_ON && !has_site);
	if (knobs_apply(r->ro.faults, r->dumps ? 2 : 0, why, sizeof(why))) {
		fprintf(stderr, "faultsweep run: %s\n", why);
		return FS_EXIT_NOFAULT;
	}
	return 0;
}

/* Before any thread starts: signals are this thread's to take, in *@sigs. */
static void take_signals(sigset_t *sigs)
{
	/* A worker that exits leaves its ack pipe without a reader: EPIPE, not death. */
	signal(SIGPIPE, SIG_IGN);
	/* Signals are taken synchronously by this thread; workers unblock them. */
	sigemptyset(sigs);
	sigaddset(sigs, SIGINT);
	sigaddset(sigs, SIGTERM);
	sigaddset(sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, sigs, NULL);
}

/* The run record and notes, the supervisor's options, the kmsg capture: all before the first case. */
static void begin(struct run *r)
{
	struct journal *j = r->j;
	const char *run_id = r->run_id;
	char why[512];
	size_t i;

	snprintf(r->tmpdir, sizeof(r->tmpdir), "/tmp/faultsweep-%d", getpid());
	mkdir(r->tmpdir, 0700);
	run_journal_header(j, &(struct run_header){ .run_id = run_id, .faults = r->ro.faults_s,
		.site_source = r->so.sites ? "patch" : r->dumps ? "dumps" : "", .jobs = r->ro.jobs,
		.ncases = r->n, .resume = r->ro.resume });
	r->so.jobs = r->ro.jobs;
	r->so.timeout_s = r->ro.timeout_s;
	r->so.max_nth = r->ro.max_nth;
	r->so.faults = r->ro.faults;
	r->so.retry = r->ro.retry;
	r->so.tmpdir = r->tmpdir;
	r->so.journal = j;
	r->so.run_id = run_id;
	r->so.duration_s = r->ro.duration_s;
	r->so.reboot = &reboot;
	/* Which of kernel/patches' features this kernel has: the summary says it. */
	failnth_features_text(failnth_features(), why, sizeof(why));
	run_journal_note(j, run_id, "kernel features: %s", why);
	r->so.kcap = kcap_start(j, run_id, &r->st, why, sizeof(why));
	if (!r->so.kcap) {
		fprintf(stderr, "faultsweep run: kernel reports will not be captured: %s\n", why);
		run_journal_note(j, run_id, "kernel reports were not captured: %s", why);
	}
	for (i = 0; i < r->n; i++)
		modcase_journal(j, run_id, r->cases[i].h, failnth_has_module_scope());
	for (i = 0; i < r->n; i++) {
		if (!r->cases[i].h->scope_module)
			continue;
		if (failnth_has_module_scope())
			run_journal_note(j, run_id, "module scope: on (fail-nth-module): N of the "
				   "module cases counts only %s's own fault points",
				   r->cases[i].h->scope_module);
		else
			run_journal_note(j, run_id, "module scope: off (this kernel has no "
				   "fail-nth-module): N of the module cases counts the whole load");
		break;
	}
	*r->leak_note = 0;
	if (!r->ro.kmemleak)
		snprintf(r->leak_note, sizeof(r->leak_note), "kmemleak: off (--no-kmemleak)");
	else if (kleak_init(r->leak_note, sizeof(r->leak_note)) == 0)
		r->so.kleak_every = r->ro.kleak_every;
	if (*r->leak_note)
		run_journal_note(j, run_id, "%s", r->leak_note);
	r->st.cases_total = r->n;
	for (i = 0; i < r->n; i++)
		r->st.cases_done += r->cases[i].done;
}

/*
 * The sweep on a thread of its own (@ta) while this one takes @sigs and
 * draws the progress line; then the last kmemleak scan and everything put
 * back. *@secs: how long it took, *@nsites: the dumps' site records.
 */
static void sweep(struct run *r, const sigset_t *sigs, struct sup_thread_arg *ta, double *secs,
		  unsigned *nsites)
{
	struct timespec t0, t1;
	struct progress pr;
	pthread_t tid;

	ta->o = &r->so;
	ta->cases = r->cases;
	ta->n = r->n;
	ta->st = &r->st;
	ta->scns = &r->scns;
	ta->ro = &r->ro;
	ta->resume_journal = r->ro.resume ? r->jpath : NULL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	progress_init(&pr, r->ro.quiet);
	pthread_create(&tid, NULL, sup_thread, ta);
	while (!ta->done) {
		struct timespec tick = { 0, 200 * 1000 * 1000 };
		int sig = sigtimedwait(sigs, NULL, &tick);

		if (sig > 0 && !stop_flag && !reboot) {
			fprintf(stderr, "\nfaultsweep run: %s: stopping workers, restoring knobs "
				"(results so far are in %s; --resume continues)\n",
				strsignal(sig), r->jpath);
			stop_flag = true;
		}
		progress_tick(&pr, &r->st);
	}
	pthread_join(tid, NULL);
	if (r->so.kleak_every && (!stop_flag || reboot))
		kleak_scan(r->so.kcap, r->j, r->run_id, &r->st);
	*nsites = r->so.kcap ? kcap_sites(r->so.kcap) : 0;
	kcap_stop(r->so.kcap);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	progress_done(&pr);
	knobs_restore();
	zyg_stop();
	rmdir(r->tmpdir);
	*secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static void print_results(const struct run *r, double secs, unsigned nsites)
{
	const struct fs_stats *st = &r->st;

	print_summary(stdout, st, r->cases, r->n, secs, r->jpath);
	if (*r->leak_note)
		printf("faultsweep: %s\n", r->leak_note);
	if (r->so.sites)
		printf("faultsweep: coverage: %llu site records from fail-nth-site "
		       "(faults fired: %llu)\n", (unsigned long long)st->sites,
		       (unsigned long long)st->fired);
	else if (r->dumps)
		printf("faultsweep: coverage: %u fault-injection dumps journaled as site records "
		       "(faults fired: %llu)\n", nsites, (unsigned long long)st->fired);
}

/* The exit code of a sweep that ran: the whole journal's verdicts, for a resumed run too. */
static int exit_code(const struct run *r, const struct sup_thread_arg *ta)
{
	if (reboot)
		return FS_EXIT_REBOOT;
	if (stop_flag)
		return FS_EXIT_INTERRUPTED;
	if (ta->ret)
		return FS_EXIT_IO;
	if (r->st.fail || ta->scn.fails || any_verdict(r->cases, r->n, "FAIL"))
		return FS_EXIT_FINDINGS;
	if (r->st.brok || ta->scn.broks || any_verdict(r->cases, r->n, "BROK"))
		return FS_EXIT_BROKEN;
	return FS_EXIT_OK;
}

int cmd_run_parsed(struct run_opts *rop, int argc, char **argv)
{
	struct run r = { .ro = *rop, .st = FS_STATS_INIT };
	struct sup_thread_arg ta = { 0 };
	unsigned nsites = 0;
	double secs = 0;
	sigset_t sigs;
	int ret;

	/* Selection errors are usage errors, found before anything boots or is armed. */
	ret = run_select(&r.ro, &r.cases, &r.n, &r.scns);
	if (ret) {
		ret = ret == -ENOENT || ret == -EINVAL ? FS_EXIT_USAGE : FS_EXIT_IO;
		goto out;
	}
	if (r.ro.vm) {
		ret = run_in_vm(&r.ro, argc, argv);
		goto out;
	}
	ret = open_journal(&r);
	if (ret)
		goto out;
	/* The run id first: the CONF case records below carry it. */
	snprintf(r.run_id, sizeof(r.run_id), "%lx-%d", (long)time(NULL), getpid());
	write_scenario_confs(r.j, r.run_id, &r.scns);
	/* Before any thread exists: the zygote must be a single-threaded copy. */
	r.so.zygote = zyg_start() == 0;
	conf_missing_options(&r);
	ret = arm(&r);
	if (ret)
		goto out;
	take_signals(&sigs);
	begin(&r);
	sweep(&r, &sigs, &ta, &secs, &nsites);
	print_results(&r, secs, nsites);
	journal_close(r.j);
	r.j = NULL;
	ret = exit_code(&r, &ta);
	/* Results first, reports after: a report that fails loses nothing. */
	if (!r.ro.no_report && report_after_run(r.jpath, r.ro.out) && ret == FS_EXIT_OK)
		ret = FS_EXIT_IO;
out:
	zyg_stop();
	journal_close(r.j);
	free(r.cases);
	scn_list_free(&r.scns);
	return ret;
}
