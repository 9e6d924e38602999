/* Unit tests of the journal: JSON escaping, the record builder, appends, the case verdict, and reading for --resume. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal/journal.h"
#include "journal/jread.h"
#include "journal/verdict.h"
#include "runner/sweep/resume.h"
#include "tests/unit/check.h"

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

int main(void)
{
	char esc[128], path[64];
	struct jread_val v;
	struct journal *j;
	struct jb b;
	struct fs_harness h1 = { .name = "a_case", .area = "fs" };
	struct fs_harness h2 = { .name = "b_case", .area = "fs" };
	struct fs_harness h3 = { .name = "c_case", .area = "fs" };
	struct sup_case cases[3] = { { .h = &h1 }, { .h = &h2 }, { .h = &h3 } };
	FILE *f;

	test_verdict();
	json_escape(esc, sizeof(esc), "a\"b\\c\n\x1b");
	CHECK_STR(esc, "\"a\\\"b\\\\c\\n\\u001b\"");
	json_escape(esc, 6, "abcdefgh");
	CHECK(strlen(esc) == 5);

	jb_begin(&b);
	jb_str(&b, "case", "x\"y");
	jb_uint(&b, "nth", 7);
	jb_bool(&b, "fired", true);
	jb_raw(&b, "findings", "[]");
	CHECK_STR(jb_end(&b), "{\"case\":\"x\\\"y\",\"nth\":7,\"fired\":true,\"findings\":[]}");
	/* What the builder writes, the journal reader reads back. */
	CHECK(jread_parse(b.buf, strlen(b.buf), &v) == 0);
	CHECK_STR(jread_str(jread_get(&v, "case")), "x\"y");
	CHECK(jread_int(jread_get(&v, "nth")) == 7);
	CHECK(jread_get(&v, "missing") == NULL);
	jread_val_free(&v);

	/* Overflow never yields a cut object. */
	{
		static char big[20000];

		memset(big, 'x', sizeof(big) - 1);
		jb_begin(&b);
		jb_str(&b, "raw", big);
		CHECK_STR(jb_end(&b), "{\"type\":\"overflow\"}");
	}

	/* A value that looks like a key is not taken for one. */
	jb_begin(&b);
	jb_str(&b, "title", "\"case\":\"evil\"");
	jb_str(&b, "case", "good");
	jb_end(&b);
	CHECK(jread_parse(b.buf, strlen(b.buf), &v) == 0);
	CHECK_STR(jread_str(jread_get(&v, "case")), "good");
	CHECK_STR(jread_str(jread_get(&v, "title")), "\"case\":\"evil\"");
	jread_val_free(&v);

	/* Append records, then resume from them; a cut last line is skipped. */
	snprintf(path, sizeof(path), "/tmp/fs-journal-test-%d", getpid());
	unlink(path);
	CHECK(journal_open(&j, path, true) == 0);
	CHECK(journal_write(j, "{\"type\":\"step\",\"case\":\"a_case\",\"nth\":1}") == 0);
	CHECK(journal_write(j, "{\"type\":\"step\",\"case\":\"a_case\",\"nth\":2}") == 0);
	CHECK(journal_write(j, "{\"type\":\"step\",\"case\":\"b_case\",\"nth\":1}") == 0);
	CHECK(journal_write(j, "{\"type\":\"case\",\"case\":\"b_case\",\"verdict\":\"FAIL\",\"points\":1}") == 0);
	journal_close(j);
	f = fopen(path, "a");
	fputs("{\"type\":\"step\",\"case\":\"c_case\",\"nth\":9", f);	/* cut by a panic */
	fclose(f);
	CHECK(resume_load(path, cases, 3) == 4);
	CHECK(cases[0].from == 3 && !cases[0].done);
	CHECK(cases[1].done && !strcmp(cases[1].verdict, "FAIL") && cases[1].points == 1);
	CHECK(cases[2].from == 0 && !cases[2].done);
	unlink(path);
	CHECK(resume_load(path, cases, 3) == 0);
	return check_summary();
}
