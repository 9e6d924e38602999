/* reports/summary: findings grouped by title with first step and reproducer, verdict counts, notes, points per case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/summary.h"
#include "tests/unit/check.h"

static const char journal[] =
	"{\"type\":\"run\",\"run\":\"r1\",\"version\":\"0.1\",\"kernel\":\"6.12.57\",\"faults\":\"slab,page\"}\n"
	"{\"type\":\"note\",\"run\":\"r1\",\"text\":\"kmemleak: off (--no-kmemleak)\"}\n"
	"{\"type\":\"note\",\"run\":\"r1\",\"text\":\"kmemleak: off (--no-kmemleak)\"}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"a_case\",\"area\":\"fs\",\"nth\":1,\"fired\":true,"
	"\"verdict\":\"PASS\",\"findings\":[]}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"a_case\",\"area\":\"fs\",\"nth\":2,\"fired\":true,"
	"\"verdict\":\"FAIL\",\"findings\":[{\"kind\":\"unexpected-errno\",\"title\":\"unexpected-errno: a_case EINVAL\"}]}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"a_case\",\"area\":\"fs\",\"nth\":3,\"fired\":true,"
	"\"verdict\":\"FAIL\",\"findings\":[{\"kind\":\"unexpected-errno\",\"title\":\"unexpected-errno: a_case EINVAL\"}]}\n"
	"{\"type\":\"report\",\"run\":\"r1\",\"case\":\"a_case\",\"nth\":3,\"kind\":\"KASAN\","
	"\"title\":\"KASAN: slab-use-after-free Read in foo\",\"raw\":\"x\"}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"b_case\",\"area\":\"net\",\"nth\":4,\"fired\":true,"
	"\"verdict\":\"PASS\",\"swallowed\":true,\"findings\":[]}\n"
	"{\"type\":\"report\",\"run\":\"r1\",\"case\":\"b_case\",\"nth\":4,\"kind\":\"KASAN\","
	"\"title\":\"KASAN: slab-use-after-free Read in foo\",\"raw\":\"y\"}\n"
	"{\"type\":\"report\",\"run\":\"r1\",\"case\":\"\",\"nth\":0,\"kind\":\"WARNING\","
	"\"title\":\"WARNING in bar\",\"raw\":\"z\"}\n"
	"{\"type\":\"case\",\"run\":\"r1\",\"case\":\"b_case\",\"area\":\"net\",\"verdict\":\"PASS\",\"points\":4,\"steps\":5}\n"
	"{\"type\":\"case\",\"run\":\"r1\",\"case\":\"a_case\",\"area\":\"fs\",\"verdict\":\"FAIL\",\"points\":3,\"steps\":4}\n";

static char *render(const struct jread_journal *j, const char *out_dir)
{
	struct summary_opts o = { .out_dir = out_dir };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CHECK(summary_print(f, j, &o) == 0);
	fclose(f);
	return text;
}

int main(void)
{
	struct jread_journal j = { .quiet = true };
	char dir[] = "/tmp/fs-summary-XXXXXX", path[128];
	char *t;

	CHECK(jread_load_mem(&j, "fixture", journal, strlen(journal)) > 0);
	CHECK(mkdtemp(dir) != NULL);
	t = render(&j, dir);
	CHECK(strstr(t, "run r1 on kernel 6.12.57 (faults: slab,page)") != NULL);
	CHECK(strstr(t, "Steps: 4 (faults fired in 4, swallowed 1): PASS 2 FAIL 2 BROK 0 CONF 0") != NULL);
	CHECK(strstr(t, "Cases: 2: PASS 1 FAIL 1 BROK 0 CONF 0") != NULL);
	/* A note journaled twice is said once. */
	CHECK(strstr(t, "Note: kmemleak: off") && !strstr(strstr(t, "Note: kmemleak") + 1, "Note: kmemleak"));
	CHECK(strstr(t, "Findings: 3 distinct") != NULL);
	CHECK(strstr(t, "[unexpected-errno] unexpected-errno: a_case EINVAL\n"
		      "      first: a_case nth=2; 2 steps in 1 case: a_case\n      repro: -") != NULL);
	/* One title across cases: counted per step, cases listed in order. */
	CHECK(strstr(t, "[KASAN] KASAN: slab-use-after-free Read in foo\n"
		      "      first: a_case nth=3; 2 steps in 2 cases: a_case, b_case") != NULL);
	CHECK(strstr(t, "[WARNING] WARNING in bar\n      first: not attributed to a case") != NULL);
	/* Cases sorted by name, with points and steps. */
	CHECK(strstr(t, "a_case  fs        FAIL          3       4") != NULL);
	CHECK(strstr(t, "a_case") < strstr(t, "b_case  net"));
	free(t);

	/* The reproducer is listed once the report has written it. */
	snprintf(path, sizeof(path), "%s/repro", dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/repro/a_case-n2.sh", dir);
	fclose(fopen(path, "w"));
	t = render(&j, dir);
	CHECK(strstr(t, "first: a_case nth=2; 2 steps in 1 case: a_case\n      repro: repro/a_case-n2.sh") != NULL);
	free(t);
	unlink(path);
	snprintf(path, sizeof(path), "%s/repro", dir);
	rmdir(path);
	rmdir(dir);
	jread_free(&j);
	return check_summary();
}
