/* klog/marker: every marker line the runner writes reads back as what was written; other lines are no markers. */
#include <string.h>

#include "klog/marker.h"
#include "tests/unit/check.h"

static void test_step_done_end(void)
{
	char line[MARKER_LINE_MAX];
	struct marker m;
	int len;

	len = marker_step(line, sizeof(line), "socketpair_unix_stream", 12, 345);
	CHECK(len == (int)strlen(line));
	CHECK_STR(line, "<14>faultsweep: step socketpair_unix_stream 12 345\n");
	/* As the capture thread reads it: the /dev/kmsg text, without priority or newline. */
	CHECK(marker_parse("faultsweep: step socketpair_unix_stream 12 345", &m) == MARKER_STEP);
	CHECK_STR(m.case_name, "socketpair_unix_stream");
	CHECK(m.nth == 12 && m.pid == 345);
	CHECK(marker_parse(line, &m) == MARKER_STEP && m.nth == 12);

	len = marker_done(line, sizeof(line), "exec.ip.5.sendmsg", 77);
	CHECK(len == (int)strlen(line));
	CHECK_STR(line, "<14>faultsweep: done exec.ip.5.sendmsg 77\n");
	CHECK(marker_parse(line + 4, &m) == MARKER_DONE);
	CHECK_STR(m.case_name, "exec.ip.5.sendmsg");
	CHECK(m.pid == 77 && m.nth == 0);

	len = marker_end(line, sizeof(line), 18446744073709551615ull, "pipe2");
	CHECK(len == (int)strlen(line));
	CHECK_STR(line, "<14>faultsweep: end 18446744073709551615 pipe2\n");
	CHECK(marker_parse(line + 4, &m) == MARKER_END);
	CHECK(m.token == 18446744073709551615ull);
	CHECK_STR(m.case_name, "pipe2");
	/* The token is what counts; the case is for people reading the log. */
	CHECK(marker_parse("faultsweep: end 7", &m) == MARKER_END && m.token == 7);

	/* A case name as long as a case command allows still parses whole. */
	{
		char name[MARKER_CASE_MAX];

		memset(name, 'a', sizeof(name) - 1);
		name[sizeof(name) - 1] = 0;
		marker_step(line, sizeof(line), name, 3, 9);
		CHECK(marker_parse(line + 4, &m) == MARKER_STEP);
		CHECK_STR(m.case_name, name);
		CHECK(m.nth == 3 && m.pid == 9);
	}
}

static void test_module(void)
{
	struct marker_module mod = { .name = "fs_planted", .base = 0xffffffffa0018000ull,
				     .text = 0xffffffffa0018040ull, .size = 16384 };
	char line[MARKER_LINE_MAX];
	struct marker m;
	int len = marker_module(line, sizeof(line), &mod);

	CHECK(len == (int)strlen(line));
	CHECK_STR(line, "<14>faultsweep: module fs_planted 0xffffffffa0018000 "
		  "0xffffffffa0018040 16384\n");
	CHECK(marker_parse(line + 4, &m) == MARKER_MODULE);
	CHECK_STR(m.mod.name, "fs_planted");
	CHECK(m.mod.base == mod.base && m.mod.text == mod.text && m.mod.size == mod.size);
	CHECK(marker_parse(line, &m) == MARKER_MODULE);
}

static void test_not_markers(void)
{
	struct marker m;

	CHECK(marker_parse("faultsweep: module fs_planted", &m) == MARKER_NONE);
	CHECK(marker_parse("faultsweep: module fs_planted 0xg 0x1 3", &m) == MARKER_NONE);
	CHECK(*m.mod.name == 0);
	CHECK(marker_parse("faultsweep: step x 1", &m) == MARKER_NONE);
	CHECK(*m.case_name == 0 && m.nth == 0);
	CHECK(marker_parse("faultsweep: step x y 2", &m) == MARKER_NONE);
	CHECK(marker_parse("faultsweep: done x", &m) == MARKER_NONE);
	CHECK(marker_parse("faultsweep: end x", &m) == MARKER_NONE);
	/* What a reproducer writes is for people, not the capture thread. */
	CHECK(marker_parse("faultsweep repro: arming fail-nth 3 pid 9", &m) == MARKER_NONE);
	CHECK(marker_parse("faultsweep-repro: begin pipe2 n3 1.2.3", &m) == MARKER_NONE);
	CHECK(marker_parse("BUG: KASAN: double-free in planted_double_free+0x4c/0x60", &m) ==
	      MARKER_NONE);
	CHECK(marker_parse("", &m) == MARKER_NONE);
}

int main(void)
{
	test_step_done_end();
	test_module();
	test_not_markers();
	return check_summary();
}
