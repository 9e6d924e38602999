/*
 * What reading a big journal costs: writes JOURNAL with the record writers
 * (CASES cases of STEPS steps each, a finding every tenth step, a kernel
 * report every hundredth), then times jread_load() on it (best of 3) and
 * prints the peak RSS. Run by hand (docs/architecture.md, The journal):
 * `build/tests/jread_bench /tmp/big.jsonl 1000 100`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "journal/jread.h"
#include "journal/records.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int write_journal(const char *path, unsigned ncases, unsigned nsteps)
{
	static const char raw[] =
		"BUG: KASAN: slab-use-after-free in planted_uaf_read+0x5b/0x70 [planted]\n"
		"Read of size 4 at addr ffff888005f3a010 by task insmod/187\n"
		"Call Trace:\n <TASK>\n dump_stack_lvl+0x5d/0x80\n print_report+0xcf/0x630\n";
	struct fs_finding f = { "unexpected-errno",
				"unexpected-errno: socketpair_case returned EINVAL, not ENOMEM" };
	struct journal *j;
	unsigned c, n;
	char name[64];

	unlink(path);
	if (journal_open(&j, path, false))
		return -1;
	for (c = 0; c < ncases; c++) {
		snprintf(name, sizeof(name), "socketpair_case_%u", c);
		for (n = 1; n <= nsteps; n++) {
			jrec_step(j, &(struct jrec_step){
				.run = "65f0a1b2-1234", .case_name = name, .area = "net", .nth = n,
				.fired = 1, .has_ret = true, .ret = -1, .err = 12,
				.errno_name = "ENOMEM", .verdict = n % 10 ? FS_PASS : FS_FAIL,
				.findings = &f, .nfindings = n % 10 ? 0 : 1, .pid = 1234,
				.t_ms = 1.234 });
			if (n % 100 == 0)
				jrec_report(j, &(struct jrec_report){
					.run = "65f0a1b2-1234", .case_name = name, .area = "net",
					.nth = n, .attribution = "pid", .kind = "KASAN",
					.title = "KASAN: slab-use-after-free Read in planted_uaf_read",
					.text = &(struct jrec_ktext){
						.guilty = "planted_uaf_read [planted]", .file = "",
						.bug_type = "slab-use-after-free", .pid = 1234,
						.comm = "faultsweep", .seq = n, .complete = true,
						.raw = raw } });
		}
		jrec_case(j, &(struct jrec_case){
			.run = "65f0a1b2-1234", .case_name = name, .area = "net", .verdict = FS_FAIL,
			.points = nsteps, .steps = nsteps });
	}
	journal_close(j);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned ncases = argc > 2 ? (unsigned)atoi(argv[2]) : 1000;
	unsigned nsteps = argc > 3 ? (unsigned)atoi(argv[3]) : 100;
	double best = 1e9, t0;
	struct rusage ru;
	struct stat sb;
	int i, n = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: jread_bench JOURNAL [CASES [STEPS]]\n");
		return 2;
	}
	t0 = now();
	if (write_journal(argv[1], ncases, nsteps) || stat(argv[1], &sb)) {
		perror(argv[1]);
		return 1;
	}
	printf("wrote %u steps, %lld bytes in %.3f s\n", ncases * nsteps, (long long)sb.st_size,
	       now() - t0);
	for (i = 0; i < 3; i++) {
		struct jread_journal j = { 0 };

		t0 = now();
		n = jread_load(&j, argv[1]);
		if (now() - t0 < best)
			best = now() - t0;
		if (!i)
			printf("read %d records: %zu steps, %zu cases\n", n, j.nsteps, j.ncases);
		jread_free(&j);
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("jread_load: best of 3 %.3f s, peak RSS %ld MiB\n", best, ru.ru_maxrss / 1024);
	return n > 0 ? 0 : 1;
}
