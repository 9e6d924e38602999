/*
 * Unit tests of the attribution (runner/capture/attrib.h) on /dev/kmsg
 * fixtures in tests/fixtures/attrib/ (made from the report texts of
 * tests/fixtures/kreport/, README.md there): every event that comes out,
 * in order, with the step it is blamed on and how; and kmemleak reports
 * attributed from the markers read before the scan.
 *
 * Usage: test_attrib FIXTURES_DIR KREPORT_FIXTURES_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/capture/attrib.h"
#include "tests/fuzz/records.h"
#include "tests/unit/check.h"

#define MAX_EVENTS 16

struct expect {
	enum attrib_kind kind;
	const char *case_name;
	unsigned nth;
	const char *how;
	const char *what;	/* report title, dump fault, module name; "" for an end or a gap */
	uint64_t num;		/* dump: the site's function is in what2; module: base; end: token */
	const char *what2;	/* dump: its site's function */
};

struct fixture {
	const char *file;
	int n;
	struct expect e[6];
};

static const struct fixture fixtures[] = {
	/*
	 * A KASAN report printed after the faulted call returned, ended by its
	 * task's marker of the next step: the step it was printed in, not N+1.
	 * The last step's is ended by "done", and the end marker comes after.
	 */
	{ "late.txt", 3, {
		{ ATTRIB_REPORT, "planted_write", 2, "pid",
		  "KASAN: double-free in planted_double_free", 0, NULL },
		{ ATTRIB_REPORT, "planted_write", 3, "pid",
		  "KASAN: invalid-free in planted_invalid_free", 0, NULL },
		{ ATTRIB_END, "", 0, NULL, "", 1, NULL } } },
	/*
	 * Two workers: a WARNING of 410 interleaved line by line with a fault
	 * dump of 411, whose next step marker comes before the WARNING ends.
	 */
	{ "interleaved.txt", 2, {
		{ ATTRIB_SITE, "pipe_write", 4, "pid", "fail_page_alloc", 0, "pipe_write" },
		{ ATTRIB_REPORT, "planted_big_alloc", 5, "pid", "WARNING in planted_big_alloc", 0,
		  NULL } } },
	/* A kworker's report goes to the latest step of any worker; a pid taken by a new worker. */
	{ "kworker.txt", 2, {
		{ ATTRIB_REPORT, "planted_work", 2, "time",
		  "KASAN: wild-memory-access Write in planted_wild_write", 0, NULL },
		{ ATTRIB_REPORT, "pipe2", 1, "pid", "WARNING in planted_warn", 0, NULL } } },
	/* The ring overran: the gap in order; the tail of a report whose head was lost is none. */
	{ "gap.txt", 2, {
		{ ATTRIB_GAP, "", 0, NULL, "", 0, NULL },
		{ ATTRIB_REPORT, "socketpair_unix_stream", 4, "pid",
		  "KASAN: slab-out-of-bounds Write in planted_oob_write", 0, NULL } } },
	/* A module reloaded elsewhere is seen again; the same load twice, once. */
	{ "leaks.txt", 2, {
		{ ATTRIB_MODULE, "", 0, NULL, "fs_planted", 0xffffffffa0018000ull, NULL },
		{ ATTRIB_MODULE, "", 0, NULL, "fs_planted", 0xffffffffa0020000ull, NULL } } },
};

static const char *kind_name(enum attrib_kind k)
{
	static const char *const names[] = { "report", "site", "module", "end", "gap" };

	return (unsigned)k < 5 ? names[k] : "?";
}

static void check_event(const char *file, int i, const struct attrib_event *ev,
			const struct expect *e)
{
	if (ev->kind != e->kind) {
		fprintf(stderr, "%s: event %d is a %s, not a %s\n", file, i, kind_name(ev->kind),
			kind_name(e->kind));
		check_fail++;
		return;
	}
	switch (e->kind) {
	case ATTRIB_REPORT:
	case ATTRIB_SITE:
		CHECK_STR(ev->at.case_name, e->case_name);
		CHECK(ev->at.nth == e->nth);
		CHECK_STR(ev->at.how, e->how);
		if (ev->at.nth != e->nth)
			fprintf(stderr, "%s: event %d at nth %u, not %u\n", file, i, ev->at.nth, e->nth);
		if (e->kind == ATTRIB_REPORT) {
			CHECK(ev->report && !ev->dump);
			CHECK_STR(ev->report ? ev->report->title : NULL, e->what);
		} else {
			CHECK(ev->dump && !ev->report);
			CHECK_STR(ev->dump ? ev->dump->fault : NULL, e->what);
			CHECK(ev->dump && ev->dump->site >= 0);
			if (ev->dump && ev->dump->site >= 0)
				CHECK_STR(ev->dump->frames[ev->dump->site].func, e->what2);
		}
		break;
	case ATTRIB_MODULE:
		CHECK_STR(ev->mod.name, e->what);
		CHECK(ev->mod.base == e->num);
		break;
	case ATTRIB_END:
		CHECK(ev->token == e->num);
		break;
	case ATTRIB_GAP:
		break;
	}
}

static void take(struct attrib *a, struct attrib_event *evs, int *n)
{
	struct attrib_event ev;

	while (attrib_next(a, &ev)) {
		if (*n < MAX_EVENTS) {
			evs[(*n)++] = ev;
		} else {
			kreport_free(ev.report);
			free(ev.dump);
			(*n)++;
		}
	}
}

/*
 * Feed @path record by record, as the capture thread reads /dev/kmsg. A
 * jump in the sequence numbers is where read(2) said EPIPE: the kernel
 * overwrote the records between before they were read.
 */
static struct attrib *feed_file(const char *path, struct attrib_event *evs, int *n)
{
	static struct kmsg_rec rec;
	struct attrib *a = attrib_new();
	size_t len = 0;
	char *text = check_slurp(path, &len);
	const char *s, *e;
	uint64_t prev = 0;

	*n = 0;
	CHECK(a && text);
	if (!a || !text) {
		fprintf(stderr, "cannot read %s\n", path);
		free(text);
		return a;
	}
	for (s = text; s < text + len; s = e + 1) {
		e = records_end(s, text + len);
		if (kmsg_parse_record(s, (size_t)(e - s), &rec)) {
			fprintf(stderr, "%s: not a kmsg record: %.40s\n", path, s);
			check_fail++;
			continue;
		}
		if (prev && rec.seq != prev + 1)
			attrib_gap(a);
		prev = rec.seq;
		CHECK(attrib_feed(a, &rec) >= 0);
		take(a, evs, n);
	}
	CHECK(attrib_flush(a) >= 0);
	take(a, evs, n);
	free(text);
	return a;
}

static void free_events(struct attrib_event *evs, int n)
{
	for (int i = 0; i < n && i < MAX_EVENTS; i++) {
		kreport_free(evs[i].report);
		free(evs[i].dump);
	}
}

/* What the step markers said @pid's case and latest N are. */
static void check_pid(const struct attrib *a, int pid, const char *case_name, unsigned nth)
{
	char name[MARKER_CASE_MAX];
	unsigned n;

	attrib_case_of_pid(a, pid, name, sizeof(name), &n);
	CHECK_STR(name, case_name);
	CHECK(n == nth);
}

/* The fixture's step markers, then kmemleak's reports read from debugfs afterwards. */
static void test_leaks(struct attrib *a, const char *kdir)
{
	static const struct {
		const char *file;
		int pid;
		const char *case_name, *how;
		unsigned nth;
	} leaks[] = {
		/* The worker's pid and its per-step name "fs#7". */
		{ "kmemleak_unloaded.txt", 412, "planted_load", "comm", 7 },
		/* A worker's pid, a comm that names no step: the case as a whole. */
		{ "kmemleak_debugfs.txt", 381, "planted_ioctl", "case", 0 },
		/* Pids that wrote no step marker. */
		{ "kmemleak.txt", 380, "", "none", 0 },
		{ "kmemleak.txt", 57, "", "none", 0 },
	};
	const struct marker_module *m;
	char path[4096];
	unsigned i;

	for (i = 0; i < sizeof(leaks) / sizeof(leaks[0]); i++) {
		struct kreport_parser *p = kreport_new();
		char *text, *line, *save = NULL;
		struct kreport *r;
		int found = 0;

		snprintf(path, sizeof(path), "%s/%s", kdir, leaks[i].file);
		text = check_slurp(path, NULL);
		CHECK(p && text);
		if (!p || !text) {
			kreport_destroy(p);
			free(text);
			continue;
		}
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			kreport_feed(p, line, 0, 0);
		kreport_flush(p);
		while ((r = kreport_next(p))) {
			struct attrib_at at;

			if (r->pid == leaks[i].pid) {
				found++;
				attrib_leak(a, r, &at);
				CHECK_STR(at.case_name, leaks[i].case_name);
				CHECK_STR(at.how, leaks[i].how);
				CHECK(at.nth == leaks[i].nth);
			}
			kreport_free(r);
		}
		CHECK(found == 1);
		kreport_destroy(p);
		free(text);
	}
	check_pid(a, 412, "planted_load", 7);
	check_pid(a, 999, "", 0);
	/* The unloaded module's bare address, from the load seen before the reload. */
	m = attrib_module_of(a, 0xffffffffa0018046ull);
	CHECK(m && m->base == 0xffffffffa0018000ull);
	CHECK_STR(m ? m->name : NULL, "fs_planted");
	m = attrib_module_of(a, 0xffffffffa0020050ull);
	CHECK(m && m->text == 0xffffffffa0020040ull);
	CHECK(!attrib_module_of(a, 0xffffffffa0030000ull));
}

/* The pid's step after another case's marker: what the new worker that got it said. */
static void test_pid_reuse(struct attrib *a)
{
	check_pid(a, 510, "pipe2", 1);
	check_pid(a, 512, "planted_work", 2);
	/* A kworker has no step of its own. */
	check_pid(a, 196, "", 0);
}

/* Before any marker nothing is blamed; a record that is no marker changes no step. */
static void test_none(void)
{
	static struct kmsg_rec rec;
	static const char *const recs[] = {
		"4,1,10,-,caller=T7;------------[ cut here ]------------",
		"4,2,20,-,caller=T7;WARNING: CPU: 0 PID: 7 at a.c:1 f+0x1/0x2",
		"4,3,30,-,caller=T7;---[ end trace 0000000000000000 ]---",
		"14,4,40,-,caller=T7;faultsweep: step x",
	};
	struct attrib *a = attrib_new();
	struct attrib_event ev;
	char name[MARKER_CASE_MAX];
	unsigned nth, i;
	int got = 0;

	CHECK(a != NULL);
	if (!a)
		return;
	for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		CHECK(kmsg_parse_record(recs[i], strlen(recs[i]), &rec) == 0);
		attrib_feed(a, &rec);
	}
	attrib_flush(a);
	while (attrib_next(a, &ev)) {
		got++;
		CHECK(ev.kind == ATTRIB_REPORT);
		CHECK_STR(ev.at.how, "none");
		CHECK_STR(ev.at.case_name, "");
		kreport_free(ev.report);
	}
	CHECK(got == 1);
	attrib_case_of_pid(a, 7, name, sizeof(name), &nth);
	CHECK_STR(name, "");
	attrib_destroy(a);
}

int main(int argc, char **argv)
{
	struct attrib_event evs[MAX_EVENTS];
	char path[4096];
	size_t f;
	int n, i;

	if (argc != 3) {
		fprintf(stderr, "usage: test_attrib FIXTURES_DIR KREPORT_FIXTURES_DIR\n");
		return 2;
	}
	for (f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
		const struct fixture *fx = &fixtures[f];
		struct attrib *a;

		snprintf(path, sizeof(path), "%s/%s", argv[1], fx->file);
		a = feed_file(path, evs, &n);
		if (n != fx->n) {
			fprintf(stderr, "%s: %d events, expected %d\n", fx->file, n, fx->n);
			check_fail++;
		}
		for (i = 0; i < n && i < fx->n && i < MAX_EVENTS; i++)
			check_event(fx->file, i, &evs[i], &fx->e[i]);
		free_events(evs, n);
		if (!strcmp(fx->file, "leaks.txt"))
			test_leaks(a, argv[2]);
		if (!strcmp(fx->file, "kworker.txt"))
			test_pid_reuse(a);
		attrib_destroy(a);
	}
	test_none();
	return check_summary();
}
