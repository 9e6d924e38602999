/*
 * Unit tests of the journal: the record writers (fields, escaping, UTF-8),
 * group commit, records cut to the limit instead of dropped (the largest
 * real records: a crashing exec step, a KASAN report with three stacks, a
 * long clean run), the case verdict, and reading back for --resume.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal/jjson.h"
#include "journal/jread.h"
#include "journal/records.h"
#include "journal/run_journal.h"
#include "klog/kreport.h"
#include "runner/exec/exec_unwind.h"
#include "runner/sweep/resume.h"
#include "tests/unit/check.h"

static char path[64];

/* The journal at @path read back; the caller frees it. */
static void load(struct jread_journal *j)
{
	memset(j, 0, sizeof(*j));
	CHECK(jread_load(j, path) > 0);
	CHECK(j->lines_skipped == 0);
}

/* The one line of the journal at @path, its length in *@len. */
static char *only_line(size_t *len)
{
	char *s = check_slurp(path, len);

	CHECK(s && *len && s[*len - 1] == '\n' && !memchr(s, '\n', *len - 1));
	if (s)
		s[--*len] = 0;
	return s;
}

static struct journal *fresh(void)
{
	struct journal *j = NULL;

	unlink(path);
	CHECK(journal_open(&j, path, false) == 0);
	return j;
}

static void test_verdict(void)
{
	CHECK(fs_case_verdict(&(struct fs_case_tally){ 0 }) == FS_PASS);
	/* A finding is never hidden by CONF or BROK. */
	CHECK(fs_case_verdict(&(struct fs_case_tally){ .fails = 1, .broks = 1, .conf = true }) ==
	      FS_FAIL);
	CHECK(fs_case_verdict(&(struct fs_case_tally){ .kreports = 1, .conf = true }) == FS_FAIL);
	/* A breakage is never blamed on the kernel, nor hidden by CONF. */
	CHECK(fs_case_verdict(&(struct fs_case_tally){ .broks = 2, .conf = true }) == FS_BROK);
	CHECK(fs_case_verdict(&(struct fs_case_tally){ .conf = true }) == FS_CONF);
	CHECK_STR(fs_verdict_name(FS_CONF), "CONF");
	CHECK_STR(fs_verdict_name((enum fs_verdict_kind)9), "BROK");
}

/* A step and a case as `run` writes them: every field, in order, read back typed. */
static void test_step_case(void)
{
	struct fs_finding f[2] = { { "unexpected-errno", "unexpected-errno: x\"y returned \x1b" },
				   { "fd-leak", "fd-leak: \xff\xfe in x" } };
	struct journal *j = fresh();
	const char *expect =
		"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"x\\\"y\",\"area\":\"fs\",\"nth\":7,"
		"\"fired\":true,\"ret\":-1,\"errno\":22,\"errno_name\":\"EINVAL\",\"verdict\":\"FAIL\","
		"\"findings\":[{\"kind\":\"unexpected-errno\",\"title\":\"unexpected-errno: x\\\"y "
		"returned \\u001B\"},{\"kind\":\"fd-leak\",\"title\":\"fd-leak: \xef\xbf\xbd\xef\xbf\xbd "
		"in x\"}],\"swallowed\":false,\"fd_leak\":true,\"retry_ret\":0,\"retry_errno_name\":\"\","
		"\"nondeterministic\":true,\"pid\":42,\"t_ms\":1.235,\"ts\":";
	struct jread_journal r;
	char *line;
	size_t len;

	CHECK(jrec_step(j, &(struct jrec_step){
		.run = "r1", .case_name = "x\"y", .area = "fs", .nth = 7, .fired = 1,
		.has_ret = true, .ret = -1, .err = 22, .errno_name = "EINVAL",
		.verdict = FS_FAIL, .findings = f, .nfindings = 2, .fd_leak = true,
		.retried = true, .retry_ret = 0, .retry_errno_name = "", .nondet = true,
		.pid = 42, .t_ms = 1.23456 }) == 0);
	journal_close(j);
	line = only_line(&len);
	CHECK(line && !strncmp(line, expect, strlen(expect)));
	free(line);
	load(&r);
	CHECK(r.nsteps == 1);
	if (r.nsteps) {
		CHECK_STR(r.steps[0].case_name, "x\"y");
		CHECK(r.steps[0].nth == 7 && r.steps[0].fired && r.steps[0].fd_leak);
		CHECK(r.steps[0].nfindings == 2 && r.steps[0].retried && r.steps[0].ts > 0);
		CHECK(r.steps[0].nfindings == 2 &&
		      !strcmp(r.steps[0].findings[0].title, "unexpected-errno: x\"y returned \x1b"));
	}
	jread_free(&r);

	/* The step the host journals after the kernel died in it: what is known only. */
	j = fresh();
	CHECK(jrec_step(j, &(struct jrec_step){
		.run = "r1", .case_name = "c", .area = "fs", .nth = 3, .fired = -1,
		.verdict = FS_FAIL, .findings = f, .nfindings = 1, .unfinished = true,
		.console = "/out/console.1", .reason = "died" }) == 0);
	CHECK(jrec_case(j, &(struct jrec_case){
		.run = "r1", .case_name = "c", .area = "fs", .verdict = FS_CONF,
		.reason = "CONFIG_X is not set in this kernel" }) == 0);
	journal_close(j);
	load(&r);
	CHECK(r.nsteps == 1 && r.ncases == 1);
	if (r.nsteps && r.ncases) {
		CHECK(!r.steps[0].has_ret && !r.steps[0].fired && !jread_get(&r.steps[0].rec, "pid"));
		CHECK(jread_get(&r.steps[0].rec, "fired")->type == JREAD_NULL);
		CHECK(!jread_get(&r.steps[0].rec, "swallowed") && !jread_get(&r.steps[0].rec, "t_ms"));
		CHECK_STR(r.steps[0].console, "/out/console.1");
		CHECK_STR(r.steps[0].run, "r1");
		/* The CONF case of a missing option: run and ts like any case. */
		CHECK_STR(r.cases[0].run, "r1");
		CHECK_STR(r.cases[0].verdict, "CONF");
		CHECK(r.cases[0].ts > 0 && jread_get(&r.cases[0].rec, "points"));
		CHECK(!jread_get(&r.cases[0].rec, "invocation"));
	}
	jread_free(&r);
}

/* Group commit: a batch writes nothing until it is flushed, then all at once. */
static void test_batch(void)
{
	struct journal *j = fresh(), *b = NULL;
	size_t len = 0;
	char *s;

	CHECK(journal_batch_open(&b, j) == 0);
	CHECK(run_journal_note(b, "r1", "kmemleak is off: %s", "no debugfs") == 0);
	CHECK(jrec_kmsg_gap(b, "r1") == 0);
	s = check_slurp(path, &len);
	CHECK(s && len == 0);
	free(s);
	CHECK(journal_flush(b) == 0);
	s = check_slurp(path, &len);
	CHECK(s && !strcmp(s, "{\"type\":\"note\",\"run\":\"r1\",\"text\":\"kmemleak is off: no debugfs\"}\n"
			   "{\"type\":\"kmsg-gap\",\"run\":\"r1\",\"note\":\"the kernel log ring overran: "
			   "records were lost before they were read\"}\n"));
	free(s);
	journal_close(b);
	journal_close(j);
}

/* A frame as long as exec keeps one: a C++ or Rust symbol with its source and module. */
static void long_frame(char *buf, size_t len, int i)
{
	int n = snprintf(buf, len, "_ZN4core3ptr85drop_in_place$LT$alloc..sync..Arc$LT$tokio..runtime"
			 "..scheduler..Handle$GT$$GT$17h%02d+0x1f (arc.rs:1%02d) ", i, i);

	for (; n < (int)len - 1; n++)
		buf[n] = 'x';
	buf[len - 1] = 0;
}

/*
 * The largest step exec journals: a crash with both backtraces full, the
 * longest frames, 1000 bytes of output. Over the old 8 KiB, so the old
 * writer dropped exactly this record; whole now, and when fitted to less
 * it keeps every small field and says what it cut.
 */
static void test_exec_crash(void)
{
	static char frames[EXEC_FRAMES_MAX * 2][EXEC_FRAME_LEN];
	const char *fp[EXEC_FRAMES_MAX * 2];
	struct fs_finding f = { "user-crash", "user-crash: SIGSEGV in fetch_row [nullderef]" };
	char out[1001], *line, *fixed;
	struct jread_journal r;
	struct journal *j;
	size_t len, fixed_n;
	json_error_t e;
	json_t *rec;
	int i;

	for (i = 0; i < EXEC_FRAMES_MAX * 2; i++) {
		long_frame(frames[i], sizeof(frames[i]), i);
		fp[i] = frames[i];
	}
	/* What it wrote last was binary: control bytes escape to 6, bad UTF-8 becomes U+FFFD. */
	for (i = 0; i < 1000; i++)
		out[i] = (char)(i % 255 + 1);
	out[1000] = 0;
	fixed = jjson_utf8_fix(out, 1000, &fixed_n);
	j = fresh();
	CHECK(jrec_step(j, &(struct jrec_step){
		.run = "r1", .case_name = "exec.nullderef.3.openat", .area = "exec", .nth = 2,
		.fired = 1, .has_ret = true, .ret = -12, .err = 12, .errno_name = "ENOMEM",
		.verdict = FS_FAIL, .findings = &f, .nfindings = 1, .pid = 99, .t_ms = 12.5,
		.exec = &(struct jrec_exec_step){
			.invocation = 3, .syscall = "openat", .status = "SIGSEGV",
			.status_differs = true, .has_callsite = true, .callsite = fp,
			.ncallsite = EXEC_FRAMES_MAX, .crashed = true, .crash_pid = 99,
			.crash_signal = "SIGSEGV", .has_crash_frames = true,
			.crash_frames = fp + EXEC_FRAMES_MAX, .ncrash_frames = EXEC_FRAMES_MAX,
			.output = out } }) == 0);
	journal_close(j);
	line = only_line(&len);
	CHECK(len > 8192 && len <= JOURNAL_RECORD_MAX);
	CHECK(line && !strstr(line, "\"cut\""));
	load(&r);
	CHECK(r.nsteps == 1);
	if (r.nsteps) {
		const struct jread_val *crash = jread_get(&r.steps[0].rec, "crash");

		CHECK_STR(jread_str(jread_get(&r.steps[0].rec, "output")), fixed);
		CHECK(jread_get(&r.steps[0].rec, "callsite")->n == EXEC_FRAMES_MAX);
		CHECK(jread_get(crash, "frames") && jread_get(crash, "frames")->n == EXEC_FRAMES_MAX);
		CHECK_STR(jread_str(&jread_get(crash, "frames")->items[EXEC_FRAMES_MAX - 1]),
			  frames[EXEC_FRAMES_MAX * 2 - 1]);
	}
	jread_free(&r);

	/* Fitted to 4 KiB: the output keeps its tail, the frames their innermost. */
	rec = line ? json_loads(line, 0, &e) : NULL;
	CHECK(rec && jcut_fit(rec, 4096) <= 4096);
	if (rec) {
		const json_t *cut = json_object_get(rec, "cut");
		const char *o = json_string_value(json_object_get(rec, "output"));

		CHECK(json_integer_value(json_object_get(rec, "nth")) == 2);
		CHECK(!strcmp(json_string_value(json_object_get(rec, "status")), "SIGSEGV"));
		CHECK(!strcmp(json_string_value(json_object_get(json_object_get(rec, "crash"),
								"signal")), "SIGSEGV"));
		CHECK(json_integer_value(json_object_get(json_object_get(rec, "crash"), "pid")) == 99);
		CHECK(!strcmp(json_string_value(json_object_get(json_array_get(
			json_object_get(rec, "findings"), 0), "title")), f.title));
		CHECK(json_is_true(json_object_get(rec, "status_differs")));
		CHECK(json_integer_value(json_object_get(cut, "callsite")) > 0);
		CHECK(json_integer_value(json_object_get(cut, "crash.frames")) > 0);
		CHECK(json_array_size(json_object_get(rec, "callsite")) ==
		      EXEC_FRAMES_MAX - (size_t)json_integer_value(json_object_get(cut, "callsite")));
		if (json_object_get(cut, "output")) {
			long lost = (long)json_integer_value(json_object_get(cut, "output"));
			char mark[64];

			snprintf(mark, sizeof(mark), "[faultsweep: %ld bytes cut]\n", lost);
			CHECK(o && !strncmp(o, mark, strlen(mark)));
			CHECK(o && fixed && !strcmp(o + strlen(mark), fixed + lost));
		}
		json_decref(rec);
	}
	free(fixed);
	free(line);
}

/* A real KASAN report with three stacks (access, allocation, free). */
static struct kreport *kasan_report(void)
{
	char *text = check_slurp(FS_SOURCE_DIR "/tests/fixtures/kreport/kasan_slab_uaf.txt", NULL);
	struct kreport_parser *p = kreport_new();
	struct kreport *rep = NULL;
	char *line, *save = NULL;

	CHECK(text && p);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line && p;
	     line = strtok_r(NULL, "\n", &save))
		kreport_feed(p, line, 0, 0);
	if (p) {
		kreport_flush(p);
		rep = kreport_next(p);
		kreport_destroy(p);
	}
	free(text);
	CHECK(rep && rep->raw && strstr(rep->raw, "Freed by task"));
	return rep;
}

static void test_kasan(void)
{
	struct kreport *k = kasan_report();
	struct jread_journal r;
	struct journal *j;
	json_error_t e;
	json_t *rec;
	char *line;
	size_t len;

	if (!k)
		return;
	j = fresh();
	CHECK(jrec_report(j, &(struct jrec_report){
		.run = "r1", .case_name = "planted_read", .area = "module", .nth = 4,
		.attribution = "pid", .kind = "KASAN", .title = k->title,
		.text = &(struct jrec_ktext){
			.guilty = "planted_uaf_read [planted]", .file = "", .bug_type = k->bug_type,
			.pid = k->pid, .comm = k->comm, .seq = 812, .complete = k->complete,
			.raw = k->raw } }) == 0);
	journal_close(j);
	line = only_line(&len);
	CHECK(line && !strstr(line, "\"cut\""));
	load(&r);
	CHECK(r.norphans == 1);
	if (r.norphans)
		CHECK_STR(r.orphans[0].raw, k->raw);
	jread_free(&r);

	/* Fitted to 2 KiB: the raw text keeps its head, every small field stays. */
	rec = line ? json_loads(line, 0, &e) : NULL;
	CHECK(rec && jcut_fit(rec, 2048) <= 2048);
	if (rec) {
		const char *raw = json_string_value(json_object_get(rec, "raw"));
		long lost = (long)json_integer_value(json_object_get(json_object_get(rec, "cut"), "raw"));
		char mark[64];

		snprintf(mark, sizeof(mark), "\n[faultsweep: %ld bytes cut]", lost);
		CHECK(lost > 0 && raw && strlen(raw) == k->raw_len - lost + strlen(mark));
		CHECK(raw && !strncmp(raw, k->raw, k->raw_len - lost));
		CHECK(raw && !strcmp(raw + strlen(raw) - strlen(mark), mark));
		CHECK(json_object_size(json_object_get(rec, "cut")) == 1);
		CHECK(!strcmp(json_string_value(json_object_get(rec, "title")), k->title));
		CHECK(!strcmp(json_string_value(json_object_get(rec, "comm")), k->comm));
		CHECK(!strcmp(json_string_value(json_object_get(rec, "bug_type")), k->bug_type));
		CHECK(json_integer_value(json_object_get(rec, "pid")) == k->pid);
		CHECK(json_integer_value(json_object_get(rec, "seq")) == 812);
		CHECK(!strcmp(json_string_value(json_object_get(rec, "guilty")),
			      "planted_uaf_read [planted]"));
		json_decref(rec);
	}
	free(line);
	kreport_free(k);
}

/* A long clean run: the enumeration of its calls is what the record loses, the count stays. */
static void test_exec_calls(void)
{
	static const char *calls[5000];
	const char *argv[] = { "ip", "link", "add", "fsv0", "type", "veth", NULL };
	struct jread_journal r;
	struct journal *j = fresh();
	char *line;
	size_t len;
	int i;

	for (i = 0; i < 5000; i++)
		calls[i] = i % 2 ? "rt_sigprocmask" : "sendmsg";
	CHECK(jrec_exec(j, &(struct jrec_exec){
		.run = "r1", .name = "veth_add", .argv = argv, .clean_status = "exit 0",
		.clean_ms = 80.25, .invocations = 5000, .swept = 20, .calls = calls,
		.ncalls = 5000 }) == 0);
	journal_close(j);
	line = only_line(&len);
	CHECK(len <= JOURNAL_RECORD_MAX && len > JOURNAL_RECORD_MAX - 64);
	CHECK(line && strstr(line, "\"clean_ms\":80.25,\"invocations\":5000,\"swept\":20,"));
	free(line);
	memset(&r, 0, sizeof(r));
	CHECK(jread_load(&r, path) == 0 && r.lines_skipped == 0);
	jread_free(&r);
	line = check_slurp(path, &len);
	if (line) {
		json_error_t e;
		json_t *rec = json_loads(line, 0, &e);
		size_t kept = json_array_size(json_object_get(rec, "calls"));

		CHECK(kept > 100 && kept < 5000);
		CHECK(json_integer_value(json_object_get(json_object_get(rec, "cut"), "calls")) ==
		      (json_int_t)(5000 - kept));
		CHECK(json_array_size(json_object_get(rec, "command")) == 6);
		json_decref(rec);
	}
	free(line);
}

/* The record a newer writer might make with a huge field of its own: cut too, never dropped. */
static void test_other_field(void)
{
	char *big = malloc(40000), *line;
	struct journal *j = fresh();
	size_t len;

	if (!big)
		return;
	memset(big, '\x01', 39999);
	big[39999] = 0;
	CHECK(run_journal_note(j, "r1", "%s", big) == 0);
	CHECK(jrec_case(j, &(struct jrec_case){ .run = "r1", .case_name = "c", .area = "fs",
						.reason = big }) == 0);
	journal_close(j);
	line = check_slurp(path, &len);
	CHECK(line && strstr(line, "\"cut\":{\"text\":"));
	CHECK(line && strstr(line, "\"cut\":{\"reason\":"));
	CHECK(line && strlen(line) == len && !strstr(line, "overflow"));
	free(line);
	free(big);
}

/* Append records, then resume from them; a cut last line is skipped. */
static void test_resume(void)
{
	struct fs_harness h1 = { .name = "a_case", .area = "fs" };
	struct fs_harness h2 = { .name = "b_case", .area = "fs" };
	struct fs_harness h3 = { .name = "c_case", .area = "fs" };
	struct sup_case cases[3] = { { .h = &h1 }, { .h = &h2 }, { .h = &h3 } };
	struct journal *j = fresh();
	FILE *f;

	CHECK(jrec_step(j, &(struct jrec_step){ .case_name = "a_case", .nth = 1 }) == 0);
	CHECK(jrec_step(j, &(struct jrec_step){ .case_name = "a_case", .nth = 2 }) == 0);
	CHECK(jrec_step(j, &(struct jrec_step){ .case_name = "b_case", .nth = 1 }) == 0);
	CHECK(jrec_case(j, &(struct jrec_case){ .case_name = "b_case", .verdict = FS_FAIL,
						.points = 1 }) == 0);
	journal_close(j);
	f = fopen(path, "a");
	CHECK(f != NULL);
	if (f) {
		fputs("{\"type\":\"step\",\"case\":\"c_case\",\"nth\":9", f);	/* cut by a panic */
		fclose(f);
	}
	CHECK(resume_load(path, cases, 3) == 4);
	CHECK(cases[0].from == 3 && !cases[0].done);
	CHECK(cases[1].done && !strcmp(cases[1].verdict, "FAIL") && cases[1].points == 1);
	CHECK(cases[2].from == 0 && !cases[2].done);
	unlink(path);
	CHECK(resume_load(path, cases, 3) == 0);
}

int main(void)
{
	snprintf(path, sizeof(path), "/tmp/fs-journal-test-%d", getpid());
	test_verdict();
	test_step_case();
	test_batch();
	test_exec_crash();
	test_kasan();
	test_exec_calls();
	test_other_field();
	test_resume();
	unlink(path);
	return check_summary();
}
