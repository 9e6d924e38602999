/* Unit tests of corpus parsing and case selection (patterns, areas, hidden cases, nearest names). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/corpus/corpus.h"
#include "harness/registry.h"
#include "tests/unit/check.h"

static char *write_tmp(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/fs-corpus-test-%d", getpid());
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

/* Scenario blocks: properties, defaults, module paths relative to the file. */
static void test_scenarios(void)
{
	struct fs_pattern_list pl = { 0 };
	struct fs_scenario_list sl = { 0 };
	char *p;

	setenv("FS_TEST_KO", "/mods/x.ko", 1);
	unsetenv("FS_TEST_UNSET");
	p = write_tmp("cases net\n"
		      "scenario veth_add   # a comment\n"
		      "  # a comment line inside the block\n"
		      "  setup    ip link del fsv0 2>/dev/null || true\n"
		      "  exec     ip link add fsv0 type veth peer name 'fsv 1'\n"
		      "  cleanup  ip link del fsv0\n"
		      "  syscalls sendmsg,recvmsg\n"
		      "  max-calls 20\n"
		      "  timeout  30\n"
		      "\n"
		      "scenario planted\n"
		      "\tmodule $FS_TEST_KO debug=1 name=\"a b\"\n"
		      "\texercise sh -c \"echo x > /proc/fs_planted\"\n"
		      "scenario rel\n"
		      "  module mods/y.ko\n"
		      "scenario unset\n"
		      "  module ${FS_TEST_UNSET}/z.ko\n"
		      "cases fs\n");
	CHECK(corpus_load(p, &pl, &sl) == 0);
	CHECK(pl.n == 2);
	CHECK(sl.n == 4);
	CHECK_STR(sl.items[0].name, "veth_add");
	CHECK_STR(sl.items[0].area, "exec");
	CHECK(sl.items[0].argc == 9);
	CHECK_STR(sl.items[0].argv[0], "ip");
	CHECK_STR(sl.items[0].argv[8], "fsv 1");
	CHECK(sl.items[0].argv[9] == NULL);
	CHECK(!sl.items[0].exercise);
	CHECK_STR(sl.items[0].setup, "ip link del fsv0 2>/dev/null || true");
	CHECK_STR(sl.items[0].cleanup, "ip link del fsv0");
	CHECK_STR(sl.items[0].syscalls, "sendmsg,recvmsg");
	CHECK(sl.items[0].max_calls == 20 && sl.items[0].timeout_s == 30);
	CHECK(sl.items[0].expect_exit == 0);
	CHECK_STR(sl.items[1].area, "module");
	CHECK_STR(sl.items[1].module, "/mods/x.ko");
	CHECK_STR(sl.items[1].params, "debug=1 name=a b");
	CHECK(sl.items[1].exercise && sl.items[1].argc == 3);
	CHECK_STR(sl.items[1].argv[2], "echo x > /proc/fs_planted");
	CHECK(!*sl.items[1].conf);
	CHECK(strstr(sl.items[2].module, "/mods/y.ko") && sl.items[2].module[0] == '/');
	CHECK(strstr(sl.items[3].conf, "$FS_TEST_UNSET is not set") != NULL);
	scn_list_free(&sl);
	corpus_free(&pl);

	/* Each mistake names its line and column; nothing is kept. */
	p = write_tmp("scenario a\n  exec echo 'open\n");
	CHECK(corpus_load(p, &pl, &sl) == -EINVAL && sl.n == 0);
	p = write_tmp("  exec echo\n");
	CHECK(corpus_load(p, &pl, &sl) == -EINVAL);
	p = write_tmp("scenario a\n  module x.ko\n  exec echo\n");
	CHECK(corpus_load(p, &pl, &sl) == -EINVAL);
	p = write_tmp("scenario a\n  exercise echo\n");
	CHECK(corpus_load(p, &pl, &sl) == -EINVAL);
	p = write_tmp("scenario a\n  area net\n");
	CHECK(corpus_load(p, &pl, &sl) == -EINVAL);
	p = write_tmp("scenario a\n  exec x\n  colour blue\n");
	CHECK(corpus_load(p, &pl, &sl) == -EINVAL);
	p = write_tmp("scenario a\n  exec x\n  expect-exit 300\n");
	CHECK(corpus_load(p, &pl, &sl) == -EINVAL);
	p = write_tmp("scenario a\n  exec x\nscenario a\n  exec y\n");
	CHECK(corpus_load(p, &pl, &sl) == -EINVAL);
	p = write_tmp("scenario Bad\n  exec x\n");
	CHECK(corpus_load(p, &pl, &sl) == -EINVAL);
	p = write_tmp("scenario a\n  module m.ko notaparam\n");
	CHECK(corpus_load(p, &pl, &sl) == -EINVAL);
	CHECK(sl.n == 0 && pl.n == 0);
}

/* sh-like words: quotes, escapes, variables; errors carry the column. */
static void test_split(void)
{
	char **w = NULL, err[128], unset[64];
	int col = 0;

	setenv("FS_T", "v a l", 1);
	unsetenv("FS_T_UNSET");
	CHECK(scn_split("  a 'b c'  \"d $FS_T\" e\\ f ${FS_T}x \"\\\"q\\n\" ''", &w, unset,
			sizeof(unset), err, sizeof(err), &col) == 7);
	CHECK_STR(w[0], "a");
	CHECK_STR(w[1], "b c");
	CHECK_STR(w[2], "d v a l");
	CHECK_STR(w[3], "e f");
	CHECK_STR(w[4], "v a lx");
	CHECK_STR(w[5], "\"q\\n");
	CHECK_STR(w[6], "");
	CHECK(!*unset);
	scn_free_words(w);
	CHECK(scn_split("x $FS_T_UNSET y", &w, unset, sizeof(unset), err, sizeof(err), &col) == 2);
	CHECK_STR(unset, "FS_T_UNSET");
	scn_free_words(w);
	CHECK(scn_split("ok \"open", &w, unset, sizeof(unset), err, sizeof(err), &col) == -EINVAL);
	CHECK(col == 4);
	CHECK(scn_split("a ${oops", &w, unset, sizeof(unset), err, sizeof(err), &col) == -EINVAL);
	CHECK(col == 3);
	CHECK(scn_split("", &w, unset, sizeof(unset), err, sizeof(err), &col) == 0 && !w[0]);
	scn_free_words(w);
}

/*
 * The corpus files the project ships parse, and no scenario's cases clash
 * with a harness's name (seen: scenario planted_clean vs the self-test
 * planted_clean_load stopped make demo).
 */
static void test_shipped(void)
{
	static const char *const files[] = { FS_SOURCE_DIR "/corpus/default",
					     FS_SOURCE_DIR "/corpus/programs" };
	char name[160];
	size_t f;
	int i;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct fs_pattern_list pl = { 0 };
		struct fs_scenario_list sl = { 0 };

		CHECK(corpus_load(files[f], &pl, &sl) == 0);
		CHECK(sl.n > 0);
		for (i = 0; i < sl.n; i++) {
			CHECK(!fs_harness_find(sl.items[i].name));
			snprintf(name, sizeof(name), "%s_load", sl.items[i].name);
			CHECK(!fs_harness_find(name));
			snprintf(name, sizeof(name), "%s_unload", sl.items[i].name);
			CHECK(!fs_harness_find(name));
		}
		scn_list_free(&sl);
		corpus_free(&pl);
	}
}

int main(void)
{
	struct fs_pattern_list pl = { 0 };
	struct fs_harness net = { .name = "socketpair_unix_stream", .area = "net" };
	struct fs_harness hid = { .name = "selftest_segv", .area = "selftest", .flags = FS_HIDDEN };
	const struct fs_harness *near[4];
	char *p;

	p = write_tmp("# comment\n\ncases net.* mkdir  # trailing\ncases socketpair_*\n");
	CHECK(corpus_load(p, &pl, NULL) == 0);
	CHECK(pl.n == 3);
	CHECK_STR(pl.items[0].pattern, "net.*");
	CHECK(pl.items[1].line == 3);
	CHECK_STR(pl.items[2].pattern, "socketpair_*");
	corpus_free(&pl);

	/* Errors name file:line:column; the run must not start. */
	p = write_tmp("cases ok\nscenario foo\ncases\ncases Bad!\n");
	CHECK(corpus_load(p, &pl, NULL) == -EINVAL);
	CHECK(pl.n == 0);
	unlink(p);
	CHECK(corpus_load("/nonexistent/corpus", &pl, NULL) == -ENOENT);

	test_scenarios();
	test_split();
	test_shipped();

	/* Selection: name glob, area.name glob, bare area; hidden only by exact name. */
	CHECK(reg_matches(&net, "socketpair_*"));
	CHECK(reg_matches(&net, "net.*"));
	CHECK(reg_matches(&net, "net"));
	CHECK(!reg_matches(&net, "fs.*"));
	CHECK(!reg_matches(&hid, "*"));
	CHECK(!reg_matches(&hid, "selftest.*"));
	CHECK(reg_matches(&hid, "selftest_segv"));

	/* Nearest names for a typo (uses the linked-in harnesses). */
	CHECK(reg_nearest("socketpiar", near, 4) > 0);
	CHECK(reg_nearest("zzzzzzzzzzzzzzzz", near, 4) == 0);
	return check_summary();
}
