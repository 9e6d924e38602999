/* Unit tests of corpus parsing and case selection (patterns, areas, hidden cases, nearest names). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "runner/corpus.h"
#include "runner/registry.h"
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

int main(void)
{
	struct fs_pattern_list pl = { 0 };
	struct fs_harness net = { .name = "socketpair_unix_stream", .area = "net" };
	struct fs_harness hid = { .name = "selftest_segv", .area = "selftest", .flags = FS_HIDDEN };
	const struct fs_harness *near[4];
	char *p;

	p = write_tmp("# comment\n\ncases net.* mkdir  # trailing\ncases socketpair_*\n");
	CHECK(corpus_load(p, &pl) == 0);
	CHECK(pl.n == 3);
	CHECK_STR(pl.items[0].pattern, "net.*");
	CHECK(pl.items[1].line == 3);
	CHECK_STR(pl.items[2].pattern, "socketpair_*");
	corpus_free(&pl);

	/* Errors name file:line:column; the run must not start. */
	p = write_tmp("cases ok\nscenario foo\ncases\ncases Bad!\n");
	CHECK(corpus_load(p, &pl) == -EINVAL);
	CHECK(pl.n == 0);
	unlink(p);
	CHECK(corpus_load("/nonexistent/corpus", &pl) == -ENOENT);

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
