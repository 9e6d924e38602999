/* Unit tests of the journal reader and the JUnit writer: parsing, merging, verdicts, sanitising. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "journal/jread.h"
#include "reports/junit/junit.h"
#include "reports/junit/junit_xml.h"
#include "tests/unit/check.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* XPath @expr on @doc as a string (static buffer; "" when empty). */
static const char *xs(xmlDocPtr doc, const char *expr)
{
	static char out[4096];
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	xmlChar *s = r ? xmlXPathCastToString(r) : NULL;

	snprintf(out, sizeof(out), "%s", s ? (char *)s : "");
	xmlFree(s);
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	return out;
}

static double xn(xmlDocPtr doc, const char *expr)
{
	return atof(xs(doc, expr));
}

static void test_json(void)
{
	struct jread_val v;
	char deep[300];
	int i;

	CHECK(jread_parse("{\"a\":[1,-2.5e1,true,null,\"x\\u00e9\\ud83d\\ude00\\u0000\"],\"b\":{}}",
			  strlen("{\"a\":[1,-2.5e1,true,null,\"x\\u00e9\\ud83d\\ude00\\u0000\"],\"b\":{}}"),
			  &v) == 0);
	CHECK(v.type == JREAD_OBJ && v.n == 2);
	CHECK(jread_get(&v, "a")->n == 5);
	CHECK(jread_get(&v, "a")->items[0].is_int && jread_get(&v, "a")->items[0].i == 1);
	CHECK(jread_get(&v, "a")->items[1].num == -25 && !jread_get(&v, "a")->items[1].is_int);
	CHECK_STR(jread_get(&v, "a")->items[4].s, "x\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd");
	CHECK(jread_get(&v, "b")->type == JREAD_OBJ && !jread_get(&v, "missing"));
	CHECK_STR(jread_str(jread_get(&v, "b")), "");
	jread_val_free(&v);

	/*
	 * A bad escape, a lone surrogate, trailing bytes or an integer beyond
	 * int64 are refused (jansson's rules; the writer makes none of them); a
	 * byte that is no UTF-8 becomes U+FFFD.
	 */
	CHECK(jread_parse("\"\\udc00\"", 8, &v) == -EINVAL);
	CHECK(jread_parse("\"a\xff\xc0\x80" "b\"", 7, &v) == 0);
	CHECK_STR(v.s, "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b");
	jread_val_free(&v);
	CHECK(jread_parse("\"\\x\"", 4, &v) == -EINVAL);
	CHECK(jread_parse("{} x", 4, &v) == -EINVAL);
	CHECK(jread_parse("[1,]", 4, &v) == -EINVAL);
	CHECK(jread_parse("01", 2, &v) == -EINVAL);
	CHECK(jread_parse("{\"a\":1", 6, &v) == -EINVAL);
	CHECK(jread_parse("\"a\0b\"", 5, &v) == -EINVAL);
	CHECK(jread_parse("99999999999999999999", 20, &v) == -EINVAL);
	CHECK(jread_parse("9.5e300", 7, &v) == 0 && !v.is_int && v.num == 9.5e300);
	jread_val_free(&v);

	/* Nesting is bounded: deep input is garbled, not a stack overflow. */
	for (i = 0; i < 150; i++) {
		deep[i] = '[';
		deep[299 - i] = ']';
	}
	CHECK(jread_parse(deep, 300, &v) == -EINVAL);
	CHECK(jread_parse(deep + 100, 100, &v) == 0);
	jread_val_free(&v);
}

static void test_sanitize(void)
{
	char *s, big[2000];

	s = junit_sanitize("a\x1b[31mred\x1b[0m\tok\r\n\x7f\x01", 21, 100);
	CHECK_STR(s, "a[31mred[0m\tok\n");
	free(s);
	/* Bad byte, overlong, surrogate, U+FFFF, a cut sequence at the end. */
	s = junit_sanitize("\xff|\xc0\x80|\xed\xa0\x80|\xef\xbf\xbf|\xc3\xa9|\xe2\x82", 19, 100);
	CHECK_STR(s, "\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xc3\xa9|\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	memset(big, 'h', 1000);
	memset(big + 1000, 't', 1000);
	s = junit_sanitize(big, sizeof(big), 100);
	CHECK(s && strlen(s) < 140 && !strncmp(s, "hhhh", 4));
	CHECK(s && strstr(s, "\n[... 1900 bytes cut ...]\n"));
	CHECK(s && s[strlen(s) - 1] == 't');
	free(s);
	/* The cut keeps whole characters. */
	s = junit_sanitize("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 10, 5);
	CHECK(s && !strncmp(s, "\xc3\xa9\n[...", 7));
	free(s);
}

/* Two journals of two runs: the second re-ran net/b_case nth=2 and adds reports. */
static const char journal1[] =
	"{\"type\":\"run\",\"run\":\"r1\",\"version\":\"0.1\",\"kernel\":\"6.9.0\",\"faults\":\"slab\",\"jobs\":2}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"a_case\",\"area\":\"fs\",\"nth\":1,\"fired\":true,"
	"\"ret\":-1,\"errno\":12,\"errno_name\":\"ENOMEM\",\"verdict\":\"PASS\",\"findings\":[],"
	"\"t_ms\":1.25,\"ts\":1700000000000}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"a_case\",\"area\":\"fs\",\"nth\":2,\"fired\":true,"
	"\"ret\":-1,\"errno\":22,\"errno_name\":\"EINVAL\",\"verdict\":\"FAIL\",\"findings\":["
	"{\"kind\":\"unexpected-errno\",\"title\":\"unexpected-errno: a_case EINVAL\\u001b[0m\"},"
	"{\"kind\":\"fd-leak\",\"title\":\"fd-leak: a_case\"}],\"retry_ret\":-1,"
	"\"retry_errno_name\":\"ENOMEM\",\"t_ms\":3}\n"
	"this line is garbled\n"
	"{\"type\":\"site\",\"run\":\"r1\",\"case\":\"a_case\",\"nth\":2,\"fault\":\"failslab\","
	"\"site\":\"a_alloc+0x1a/0x80\",\"module\":\"a_mod\",\"frames\":[]}\n"
	"{\"type\":\"case\",\"case\":\"a_case\",\"area\":\"fs\",\"verdict\":\"FAIL\",\"points\":2}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"b_case\",\"area\":\"net\",\"nth\":1,\"verdict\":\"BROK\","
	"\"reason\":\"setup broke: \\u001b bad\"}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"b_case\",\"area\":\"net\",\"nth\":2,\"verdict\":\"PASS\"}\n"
	"{\"type\":\"case\",\"case\":\"c_case\",\"area\":\"net\",\"verdict\":\"CONF\","
	"\"reason\":\"CONFIG_X is not set in this kernel\"}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"d_case\",\"area\":\"ipc\",\"nth\":1,\"verdict\":\"PASS\"}\n"
	"{\"type\":\"case\",\"case\":\"d_case\",\"area\":\"ipc\",\"verdict\":\"BROK\","
	"\"reason\":\"worker exited (signal 9) outside a step\"}\n"
	"{\"type\":\"overflow\"}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"z_case\",\"nth\":9";	/* cut by a panic */

static const char journal2[] =
	"{\"type\":\"run\",\"run\":\"r2\",\"version\":\"0.1\",\"kernel\":\"6.9.1\"}\n"
	"{\"type\":\"step\",\"run\":\"r2\",\"case\":\"b_case\",\"area\":\"net\",\"nth\":2,\"verdict\":\"FAIL\","
	"\"errno_name\":\"ENOMEM\",\"site\":\"kmalloc_trace+0x2a/0x40\",\"future\":{\"x\":[1]},"
	"\"findings\":[{\"kind\":\"kasan\",\"title\":\"KASAN: use-after-free in \\u001bfoo\"}],"
	"\"reports\":[{\"kind\":\"kasan\",\"title\":\"KASAN: use-after-free in foo\","
	"\"guilty\":{\"func\":\"foo_release\",\"module\":\"planted\"},"
	"\"site\":{\"func\":\"foo\",\"line\":12},"
	"\"raw\":\"BUG: KASAN\\u001b[1m \\u00ff\\u0007 here\\nCall Trace:\\n\"},7]}\n";

static void test_reader(struct jread_journal *j)
{
	char p1[128], p2[128];
	const struct jread_step *b2 = NULL;
	size_t i;

	snprintf(p1, sizeof(p1), "%s/one.jsonl", dir);
	snprintf(p2, sizeof(p2), "%s/two.jsonl", dir);
	/* Invalid UTF-8 straight in a value: kept for the writer to replace. */
	write_file("two.jsonl", journal2);
	{
		FILE *f = fopen(p2, "a");

		fputs("{\"type\":\"step\",\"case\":\"e_case\",\"area\":\"fs\",\"nth\":1,"
		      "\"verdict\":\"FAIL\",\"findings\":[{\"kind\":\"warn\",\"title\":\"bad \xff\xfe utf8\"}]}\n", f);
		fclose(f);
	}
	write_file("one.jsonl", journal1);
	j->quiet = true;
	CHECK(jread_load(j, p1) == 10);
	CHECK(j->lines_skipped == 3);		/* garbled, overflow, cut */
	CHECK(jread_load(j, p2) == 3);
	CHECK(jread_load(j, "/nonexistent/journal.jsonl") == -ENOENT);
	CHECK(j->nruns == 2 && j->ncases == 3 && j->nsteps == 6);
	for (i = 0; i < j->nsteps; i++)
		if (!strcmp(j->steps[i].case_name, "b_case") && j->steps[i].nth == 2)
			b2 = &j->steps[i];
	CHECK(b2 && !strcmp(b2->verdict, "FAIL") && !strcmp(b2->run, "r2"));
	CHECK(b2 && b2->nreports == 1 && b2->reports[0].guilty);
	CHECK(b2 && !strcmp(jread_str(jread_get(b2->reports[0].guilty, "func")), "foo_release"));
	CHECK(b2 && b2->reports[0].site && b2->reports[0].site->type == JREAD_OBJ);
	CHECK(b2 && jread_get(jread_get(&b2->rec, "future"), "x")->n == 1);
	CHECK(b2 && b2->line == 2 && !strcmp(b2->file, p2));
	CHECK(!strcmp(j->steps[1].findings[1].kind, "fd-leak") && j->steps[1].retried);
	CHECK(j->steps[1].retry_ret == -1 && j->steps[0].err == 12 && j->steps[0].t_ms == 1.25);
}

static void test_writer(const struct jread_journal *j)
{
	struct junit_stats st;
	struct junit_opts o = { .stats = &st };
	char path[128];
	xmlDocPtr doc;
	FILE *f;
	int c;
	bool esc = false;

	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	CHECK(junit_write(j, path, &o) == 0);
	CHECK(st.tests == 8 && st.failures == 3 && st.errors == 2 && st.skipped == 1);
	f = fopen(path, "r");
	while (f && (c = fgetc(f)) != EOF)
		esc |= c == 0x1b || c == 0x07;
	if (f)
		fclose(f);
	CHECK(!esc);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	CHECK(doc != NULL);
	if (!doc)
		return;
	CHECK(xn(doc, "count(/testsuites/testsuite)") == 3);
	CHECK_STR(xs(doc, "/testsuites/@tests"), "8");
	CHECK_STR(xs(doc, "/testsuites/testsuite[1]/@name"), "fs");
	CHECK_STR(xs(doc, "//testsuite[@name='fs']/@failures"), "2");
	CHECK_STR(xs(doc, "//testsuite[@name='fs']/@timestamp"), "2023-11-14T22:13:20");
	CHECK(xn(doc, "count(//testsuite[@name='fs']/properties/property)") == 4);
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.fs.a_case'][2]/@name"), "nth=2");
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.fs.a_case'][1]/@time"), "0.001");
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.fs.a_case'][2]/failure/@type"),
		  "unexpected-errno");
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.fs.a_case'][2]/failure/@message"),
		  "unexpected-errno: a_case EINVAL[0m");
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.fs.a_case'][2]/failure"),
		  "unexpected-errno: a_case EINVAL[0m\nfd-leak: a_case\n");
	CHECK(strstr(xs(doc, "//testcase[@classname='faultsweep.fs.a_case'][2]/system-out"),
		     "errno=EINVAL\nret=-1\nfired=yes\nretry=failed ret=-1 errno=ENOMEM\n"));
	/* The step's fault site, from its "site" record. */
	CHECK(strstr(xs(doc, "//testcase[@classname='faultsweep.fs.a_case'][2]/system-out"),
		     "fault_site=a_alloc+0x1a/0x80 [a_mod] fault=failslab\n"));
	CHECK(!strstr(xs(doc, "//testcase[@classname='faultsweep.fs.a_case'][1]/system-out"),
		      "fault_site="));
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.fs.e_case']/failure/@message"),
		  "bad \xef\xbf\xbd\xef\xbf\xbd utf8");
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.net.b_case'][1]/error/@message"),
		  "setup broke:  bad");
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.net.b_case'][2]/failure/@type"), "kasan");
	CHECK(strstr(xs(doc, "//testcase[@classname='faultsweep.net.b_case'][2]/system-out"),
		     "site=kmalloc_trace+0x2a/0x40\n"));
	CHECK(strstr(xs(doc, "//testcase[@classname='faultsweep.net.b_case'][2]/system-out"),
		     "--- kasan: KASAN: use-after-free in foo\n"
		     "guilty={\"func\":\"foo_release\",\"module\":\"planted\"}\n"
		     "site={\"func\":\"foo\",\"line\":12}\n"
		     "BUG: KASAN[1m \xc3\xbf here\nCall Trace:\n"));
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.net.c_case']/@name"), "setup");
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.net.c_case']/skipped/@message"),
		  "CONFIG_X is not set in this kernel");
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.ipc.d_case'][2]/@name"), "sweep");
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.ipc.d_case'][2]/error/@message"),
		  "worker exited (signal 9) outside a step");
	xmlFreeDoc(doc);

	/* One row per case. */
	o.collapse = true;
	CHECK(junit_write(j, path, &o) == 0);
	CHECK(st.tests == 5 && st.failures == 3 && st.errors == 1 && st.skipped == 1);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	CHECK(doc != NULL);
	if (!doc)
		return;
	CHECK_STR(xs(doc, "//testcase[@name='a_case']/@classname"), "faultsweep.fs");
	CHECK_STR(xs(doc, "//testcase[@name='a_case']/failure"),
		  "nth=2: unexpected-errno: a_case EINVAL[0m\nnth=2: fd-leak: a_case\n");
	CHECK_STR(xs(doc, "//testcase[@name='a_case']/@time"), "0.004");
	CHECK_STR(xs(doc, "//testcase[@name='b_case']/failure/@type"), "kasan");
	CHECK_STR(xs(doc, "//testcase[@name='c_case']/skipped/@message"),
		  "CONFIG_X is not set in this kernel");
	CHECK_STR(xs(doc, "//testcase[@name='d_case']/error/@type"), "BROK");
	CHECK(strstr(xs(doc, "//testcase[@name='a_case']/system-out"),
		     "verdict=FAIL points=2 steps=0\nnth=1 verdict=PASS errno=ENOMEM ret=-1\n"));
	xmlFreeDoc(doc);

	CHECK(junit_write(j, "/nonexistent/dir/junit.xml", NULL) == -ENOENT);
}

/* A 200 KiB kernel report is cut to head and tail. */
static void test_cap(void)
{
	struct jread_journal j = { .quiet = true };
	size_t n = 200 * 1024, i;
	char *line = malloc(n * 2 + 256), path[128];
	xmlDocPtr doc;
	int len;

	len = sprintf(line, "{\"type\":\"step\",\"case\":\"big\",\"area\":\"fs\",\"nth\":1,"
		      "\"verdict\":\"FAIL\",\"reports\":[{\"kind\":\"warn\",\"raw\":\"HEAD");
	for (i = 0; i < n; i += 4)
		len += sprintf(line + len, "abc\\n");
	len += sprintf(line + len, "TAIL\"}]}\n");
	CHECK(jread_load_mem(&j, "mem", line, len) == 1);
	snprintf(path, sizeof(path), "%s/cap.xml", dir);
	CHECK(junit_write(&j, path, NULL) == 0);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
	CHECK(doc != NULL);
	if (doc) {
		xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
		xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST "string(//system-out)", ctx);
		const char *s = (const char *)r->stringval;

		CHECK(strlen(s) <= 64 * 1024 + 64 && strlen(s) > 60 * 1024);
		CHECK(strstr(s, "bytes cut ...]") && strstr(s, "TAIL\n"));
		/* No finding, no title: the report's kind names the failure. */
		CHECK_STR(xs(doc, "//failure/@message"), "warn");
		xmlXPathFreeObject(r);
		xmlXPathFreeContext(ctx);
		xmlFreeDoc(doc);
	}
	jread_free(&j);
	free(line);
}

/*
 * --junit-collapse judges a case as its case record does (fs_case_verdict):
 * a step that could not run makes the case CONF although others passed;
 * a BROK step outranks it, a FAIL step outranks both.
 */
static void test_collapse_verdict(void)
{
	static const char journal[] =
		"{\"type\":\"step\",\"case\":\"e\",\"area\":\"exec\",\"nth\":1,\"verdict\":\"PASS\"}\n"
		"{\"type\":\"step\",\"case\":\"e\",\"area\":\"exec\",\"nth\":2,\"verdict\":\"CONF\","
		"\"reason\":\"skipped (nondeterministic)\"}\n"
		"{\"type\":\"step\",\"case\":\"f\",\"area\":\"exec\",\"nth\":1,\"verdict\":\"CONF\"}\n"
		"{\"type\":\"step\",\"case\":\"f\",\"area\":\"exec\",\"nth\":2,\"verdict\":\"BROK\","
		"\"reason\":\"interrupted\"}\n"
		"{\"type\":\"step\",\"case\":\"g\",\"area\":\"exec\",\"nth\":1,\"verdict\":\"BROK\"}\n"
		"{\"type\":\"step\",\"case\":\"g\",\"area\":\"exec\",\"nth\":2,\"verdict\":\"FAIL\","
		"\"findings\":[{\"kind\":\"hang\",\"title\":\"hang: g\"}]}\n";
	struct jread_journal j = { .quiet = true };
	struct junit_stats st = { 0 };
	struct junit_opts o = { .collapse = true, .stats = &st };
	char path[128];
	xmlDocPtr doc;

	CHECK(jread_load_mem(&j, "mem", journal, sizeof(journal) - 1) == 6);
	snprintf(path, sizeof(path), "%s/collapse.xml", dir);
	CHECK(junit_write(&j, path, &o) == 0);
	CHECK(st.tests == 3 && st.skipped == 1 && st.errors == 1 && st.failures == 1);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	CHECK(doc != NULL);
	if (doc) {
		CHECK_STR(xs(doc, "//testcase[@name='e']/skipped/@message"),
			  "skipped (nondeterministic)");
		CHECK_STR(xs(doc, "//testcase[@name='f']/error/@message"), "interrupted");
		CHECK_STR(xs(doc, "//testcase[@name='g']/failure/@type"), "hang");
		xmlFreeDoc(doc);
	}
	jread_free(&j);
}

/*
 * Report records apart from their steps: one written before its step, one
 * repeated, a PASS step made a failure, reports of the case as a whole, of
 * no case, of a lost step and of a superseded run kept as orphans, a step
 * journaled after a kernel panic (no errno or ret), a kmsg gap.
 */
static const char kjournal[] =
	"{\"type\":\"run\",\"run\":\"r3\",\"version\":\"0.2\",\"kernel\":\"6.9.0\"}\n"
	"{\"type\":\"report\",\"run\":\"r3\",\"case\":\"sp\",\"area\":\"net\",\"nth\":5,"
	"\"attribution\":\"pid\",\"kind\":\"KASAN\",\"title\":\"KASAN: slab-use-after-free Read in foo\","
	"\"guilty\":\"foo_release [planted]\",\"file\":\"mm/x.c\",\"line\":12,"
	"\"bug_type\":\"slab-use-after-free\",\"pid\":123,\"comm\":\"faultsweep\",\"seq\":4567,"
	"\"complete\":true,\"panicked\":false,\"raw\":\"BUG: KASAN: slab-use-after-free in foo\\n"
	"Call Trace:\\n\"}\n"
	"{\"type\":\"step\",\"run\":\"r3\",\"case\":\"sp\",\"area\":\"net\",\"nth\":5,\"fired\":true,"
	"\"ret\":-1,\"errno\":12,\"errno_name\":\"ENOMEM\",\"verdict\":\"PASS\",\"findings\":[],"
	"\"ts\":1700000000000}\n"
	"{\"type\":\"report\",\"run\":\"r3\",\"case\":\"sp\",\"area\":\"net\",\"nth\":5,"
	"\"attribution\":\"time\",\"kind\":\"WARNING\",\"title\":\"WARNING in bar\",\"seq\":4570,"
	"\"raw\":\"WARNING: CPU: 0 PID: 123 at bar+0x1/0x2\"}\n"
	"{\"type\":\"step\",\"run\":\"r3\",\"case\":\"sp\",\"area\":\"net\",\"nth\":6,\"ret\":0,"
	"\"errno\":0,\"verdict\":\"PASS\"}\n"
	"{\"type\":\"report\",\"run\":\"r3\",\"case\":\"sp\",\"area\":\"net\",\"nth\":0,"
	"\"attribution\":\"case\",\"kind\":\"taint\",\"title\":\"kernel tainted (0x20) with no report in sp\","
	"\"taint\":32}\n"
	"{\"type\":\"report\",\"run\":\"r3\",\"case\":\"\",\"area\":\"\",\"nth\":0,"
	"\"attribution\":\"none\",\"kind\":\"memory-leak\",\"title\":\"memory leak in baz\","
	"\"raw\":\"unreferenced object 0xffff8880\\n\"}\n"
	"{\"type\":\"kmsg-gap\",\"run\":\"r3\",\"note\":\"the kernel log ring overran\"}\n"
	"{\"type\":\"report\",\"run\":\"r3\",\"case\":\"sp\",\"area\":\"net\",\"nth\":9,"
	"\"attribution\":\"pid\",\"kind\":\"Oops\",\"title\":\"Oops in qux\",\"raw\":\"Oops: 0000\"}\n"
	"{\"type\":\"step\",\"case\":\"sp\",\"area\":\"net\",\"nth\":7,\"fired\":true,\"verdict\":\"FAIL\","
	"\"findings\":[{\"kind\":\"kernel-panic\",\"title\":\"kernel-panic: Kernel panic - not syncing: planted\"}],"
	"\"reason\":\"the kernel died during this step\",\"console\":\"/out/console.crash1.log\","
	"\"ts\":1700000001000}\n"
	"{\"type\":\"report\",\"case\":\"sp\",\"area\":\"net\",\"nth\":7,\"attribution\":\"pid\","
	"\"kind\":\"panic\",\"title\":\"Kernel panic - not syncing: planted\",\"guilty\":\"foo\","
	"\"pid\":5,\"panicked\":true,\"raw\":\"Kernel panic - not syncing: planted\\n\"}\n"
	"{\"type\":\"report\",\"run\":\"r0\",\"case\":\"sp\",\"area\":\"net\",\"nth\":6,"
	"\"attribution\":\"pid\",\"kind\":\"WARNING\",\"title\":\"WARNING of an older run\"}\n"
	"{\"type\":\"case\",\"run\":\"r3\",\"case\":\"sp\",\"area\":\"net\",\"verdict\":\"FAIL\","
	"\"points\":9,\"steps\":7,\"kernel_reports\":4}\n";

/* A second file: the KASAN report again (one report), and one more on a step of the first. */
static const char kjournal2[] =
	"{\"type\":\"report\",\"run\":\"r3\",\"case\":\"sp\",\"area\":\"net\",\"nth\":5,"
	"\"attribution\":\"pid\",\"kind\":\"KASAN\",\"title\":\"KASAN: slab-use-after-free Read in foo\","
	"\"guilty\":\"foo_release [planted]\",\"file\":\"mm/x.c\",\"line\":12,"
	"\"bug_type\":\"slab-use-after-free\",\"pid\":123,\"comm\":\"faultsweep\",\"seq\":4567,"
	"\"complete\":true,\"panicked\":false,\"raw\":\"BUG: KASAN: slab-use-after-free in foo\\n"
	"Call Trace:\\n\"}\n"
	"{\"type\":\"step\",\"run\":\"r3\",\"case\":\"sp\",\"area\":\"net\",\"nth\":8,\"ret\":0,"
	"\"verdict\":\"PASS\"}\n";

static const struct jread_step *find(const struct jread_journal *j, const char *c, uint64_t nth)
{
	size_t i;

	for (i = 0; i < j->nsteps; i++)
		if (!strcmp(j->steps[i].case_name, c) && j->steps[i].nth == nth)
			return &j->steps[i];
	return NULL;
}

static void test_kreports_read(struct jread_journal *j)
{
	const struct jread_step *s5, *s6, *s7;

	j->quiet = true;
	CHECK(jread_load_mem(j, "k1", kjournal, strlen(kjournal)) == 13);
	CHECK(j->lines_skipped == 0 && j->nsteps == 3 && j->kmsg_gaps == 1);
	CHECK(j->ncases == 1 && j->cases[0].kernel_reports == 4);
	s5 = find(j, "sp", 5);
	CHECK(s5 && s5->nreports == 2 && s5->nreports_own == 0);
	if (s5 && s5->nreports == 2) {
		CHECK_STR(s5->reports[0].kind, "KASAN");
		CHECK_STR(s5->reports[0].attribution, "pid");
		CHECK_STR(jread_str(s5->reports[0].guilty), "foo_release [planted]");
		CHECK(s5->reports[0].pid == 123 && s5->reports[0].line == 2);
		CHECK_STR(s5->reports[1].title, "WARNING in bar");
	}
	s7 = find(j, "sp", 7);
	CHECK(s7 && !s7->has_ret && s7->nreports == 1 && s5 && s5->has_ret);
	CHECK(s7 && !strcmp(s7->console, "/out/console.crash1.log"));
	CHECK(s7 && s7->nreports && s7->reports[0].panicked);
	CHECK(j->norphans == 4);
	if (j->norphans == 4) {
		CHECK_STR(j->orphans[0].kind, "taint");
		CHECK(j->orphans[0].nth == 0 && !strcmp(j->orphans[0].case_name, "sp"));
		CHECK_STR(j->orphans[1].case_name, "");
		CHECK(j->orphans[2].nth == 9);
		CHECK_STR(j->orphans[3].run, "r0");
	}
	/* Repeated in a second file: still one; a report of the first file's step attaches. */
	CHECK(jread_load_mem(j, "k2", kjournal2, strlen(kjournal2)) == 2);
	s5 = find(j, "sp", 5);
	s6 = find(j, "sp", 6);
	CHECK(s5 && s5->nreports == 2 && s6 && s6->nreports == 0 && j->norphans == 4);
	CHECK(s5 && s5->nreports && !strcmp(s5->reports[0].file, "k2"));
}

static void test_kreports_write(const struct jread_journal *j)
{
	struct junit_stats st;
	struct junit_opts o = { .stats = &st };
	char path[128];
	xmlDocPtr doc;

	snprintf(path, sizeof(path), "%s/kreports.xml", dir);
	CHECK(junit_write(j, path, &o) == 0);
	/* nth 5, 6, 7, 8; three reports of sp, one unattributed. */
	CHECK(st.tests == 8 && st.failures == 6 && st.errors == 0);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	CHECK(doc != NULL);
	if (!doc)
		return;
#define SP "//testcase[@classname='faultsweep.net.sp']"
	CHECK_STR(xs(doc, SP "[@name='nth=5']/failure/@type"), "KASAN");
	CHECK_STR(xs(doc, SP "[@name='nth=5']/failure/@message"),
		  "KASAN: slab-use-after-free Read in foo");
	CHECK_STR(xs(doc, SP "[@name='nth=5']/failure"),
		  "KASAN: slab-use-after-free Read in foo\nWARNING in bar\n");
	CHECK(strstr(xs(doc, SP "[@name='nth=5']/system-out"),
		     "--- KASAN: KASAN: slab-use-after-free Read in foo\n"
		     "case=sp nth=5 attribution=pid pid=123 comm=faultsweep journal=k2:1\n"
		     "guilty=foo_release [planted]\nsource=mm/x.c:12\nbug_type=slab-use-after-free\n"
		     "BUG: KASAN: slab-use-after-free in foo\nCall Trace:\n"));
	CHECK(strstr(xs(doc, SP "[@name='nth=5']/system-out"),
		     "WARNING: CPU: 0 PID: 123 at bar+0x1/0x2\n"));
	CHECK(xn(doc, "count(" SP "[@name='nth=6']/failure)") == 0);
	CHECK_STR(xs(doc, SP "[@name='nth=7']/failure/@type"), "kernel-panic");
	CHECK_STR(xs(doc, SP "[@name='nth=7']/failure"),
		  "kernel-panic: Kernel panic - not syncing: planted\n"
		  "Kernel panic - not syncing: planted\n");
	CHECK(strstr(xs(doc, SP "[@name='nth=7']/system-out"), "console=/out/console.crash1.log\n"));
	CHECK(strstr(xs(doc, SP "[@name='nth=7']/system-out"), "panicked"));
	CHECK(!strstr(xs(doc, SP "[@name='nth=7']/system-out"), "errno="));
	CHECK(!strstr(xs(doc, SP "[@name='nth=7']/system-out"), "ret="));
	CHECK_STR(xs(doc, SP "[@name='kernel-report-1']/failure/@type"), "taint");
	CHECK_STR(xs(doc, SP "[@name='kernel-report-1']/failure/@message"),
		  "kernel tainted (0x20) with no report in sp");
	CHECK_STR(xs(doc, SP "[@name='kernel-report-2']/failure/@type"), "Oops");
	CHECK(strstr(xs(doc, SP "[@name='kernel-report-2']/system-out"), "nth=9 attribution=pid"));
	CHECK_STR(xs(doc, SP "[@name='kernel-report-3']/failure/@message"), "WARNING of an older run");
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.unattributed']/@name"),
		  "kernel-report-1");
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.unattributed']/failure/@type"),
		  "memory-leak");
	CHECK(strstr(xs(doc, "//testcase[@classname='faultsweep.unattributed']/system-out"),
		     "unreferenced object 0xffff8880\n"));
	CHECK_STR(xs(doc, "//testsuite[@name='unattributed']/@failures"), "1");
	CHECK_STR(xs(doc, "//testsuite[@name='net']/properties/property"
		     "[@name='faultsweep.kmsg-gaps']/@value"),
		  "1: the kernel log overran before it was read, kernel reports may be missing");
	xmlFreeDoc(doc);

	o.collapse = true;
	CHECK(junit_write(j, path, &o) == 0);
	CHECK(st.tests == 2 && st.failures == 2);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	CHECK(doc != NULL);
	if (!doc)
		return;
	CHECK_STR(xs(doc, "//testcase[@name='sp']/failure/@type"), "KASAN");
	CHECK(strstr(xs(doc, "//testcase[@name='sp']/failure"),
		     "nth=5: WARNING in bar\n"));
	CHECK(strstr(xs(doc, "//testcase[@name='sp']/failure"),
		     "kernel-report-2: Oops in qux\n"));
	CHECK(strstr(xs(doc, "//testcase[@name='sp']/system-out"),
		     "verdict=FAIL points=9 steps=7 kernel_reports=4\n"
		     "nth=5 verdict=PASS errno=ENOMEM ret=-1 kernel_reports=2\n"));
	CHECK(strstr(xs(doc, "//testcase[@name='sp']/system-out"),
		     "nth=7 verdict=FAIL findings kernel_reports=1\n"));
	CHECK_STR(xs(doc, "//testcase[@classname='faultsweep.unattributed']/@name"),
		  "kernel-reports");
	xmlFreeDoc(doc);
#undef SP
}

int main(void)
{
	struct jread_journal j = { 0 };
	char cmd[128];

	LIBXML_TEST_VERSION
	snprintf(dir, sizeof(dir), "/tmp/fs-junit-test-%d", getpid());
	mkdir(dir, 0700);
	test_json();
	test_sanitize();
	test_reader(&j);
	test_writer(&j);
	test_cap();
	test_collapse_verdict();
	jread_free(&j);
	test_kreports_read(&j);
	test_kreports_write(&j);
	jread_free(&j);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", dir);
	xmlCleanupParser();
	return check_summary();
}
