/*
 * Unit tests of the reproducer generator: which steps get one, what the .c
 * holds (the real harness code), that it compiles standalone with
 * `cc -static -Wall`, and that the .sh is valid bash with the step's values.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal/jread.h"
#include "reports/repro/repro.h"
#include "tests/unit/check.h"

static char dir[64];

static const char journal[] =
	"{\"type\":\"run\",\"run\":\"r1\",\"version\":\"0.1\",\"kernel\":\"6.12.0-test\","
	"\"faults\":\"slab,page\",\"jobs\":1,\"cases\":3,\"ts\":1}\n"
	/* 2, 3: the same finding title twice: one reproducer, at the first N */
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"pipe2\",\"area\":\"fd\",\"nth\":3,"
	"\"fired\":true,\"ret\":-1,\"errno\":23,\"errno_name\":\"ENFILE\",\"verdict\":\"FAIL\","
	"\"findings\":[{\"kind\":\"unexpected-errno\",\"title\":\"unexpected-errno: pipe2 "
	"returns ENFILE on a failed allocation\"}]}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"pipe2\",\"area\":\"fd\",\"nth\":4,"
	"\"fired\":true,\"ret\":-1,\"errno\":23,\"errno_name\":\"ENFILE\",\"verdict\":\"FAIL\","
	"\"findings\":[{\"kind\":\"unexpected-errno\",\"title\":\"unexpected-errno: pipe2 "
	"returns ENFILE on a failed allocation\"}]}\n"
	/* 4: a passing step: nothing */
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"pipe2\",\"area\":\"fd\",\"nth\":5,"
	"\"fired\":true,\"ret\":-1,\"errno\":12,\"verdict\":\"PASS\",\"findings\":[]}\n"
	/* 5: a case this binary does not have; 6: a name that is no case name */
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"no_such_case\",\"area\":\"fd\",\"nth\":1,"
	"\"verdict\":\"FAIL\",\"findings\":[{\"kind\":\"hang\",\"title\":\"hang: x\"}]}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"../../etc/x\",\"area\":\"fd\",\"nth\":1,"
	"\"verdict\":\"FAIL\",\"findings\":[{\"kind\":\"hang\",\"title\":\"hang: y\"}]}\n"
	/* 7, 8: PASS, but a kernel report is attached: it gets one */
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"planted_write\",\"area\":\"selftest\","
	"\"nth\":7,\"fired\":true,\"ret\":-1,\"errno\":12,\"verdict\":\"PASS\",\"findings\":[]}\n"
	"{\"type\":\"report\",\"run\":\"r1\",\"case\":\"planted_write\",\"area\":\"selftest\","
	"\"nth\":7,\"attribution\":\"pid\",\"kind\":\"KASAN\",\"title\":\"KASAN: it's */ "
	"slab-use-after-free in planted_write\",\"raw\":\"BUG: KASAN\"}\n"
	/* 9, 10: a socket case and a System V IPC case: their helpers are pasted */
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"connect_inet\",\"area\":\"net\",\"nth\":2,"
	"\"fired\":true,\"ret\":-1,\"errno\":23,\"errno_name\":\"ENFILE\",\"verdict\":\"FAIL\","
	"\"findings\":[{\"kind\":\"unexpected-errno\",\"title\":\"unexpected-errno: connect_inet "
	"returns ENFILE on a failed allocation\"}]}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"msgsnd\",\"area\":\"ipc\",\"nth\":2,"
	"\"fired\":true,\"ret\":-1,\"errno\":23,\"errno_name\":\"ENFILE\",\"verdict\":\"FAIL\","
	"\"findings\":[{\"kind\":\"unexpected-errno\",\"title\":\"unexpected-errno: msgsnd "
	"returns ENFILE on a failed allocation\"}]}\n";

static bool exists(const char *name)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/repro/%s", dir, name);
	return access(p, F_OK) == 0;
}

__attribute__((format(printf, 1, 2)))
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void test_table(void)
{
	const struct repro_src *s = repro_find_case("pipe2");
	char *disk;

	CHECK(s && !strcmp(s->path, "syscalls/pipe.c"));
	CHECK(repro_find_case("planted_write") == repro_find_case("planted_clean_load"));
	CHECK(repro_find_case("no_such_case") == NULL);
	/* The embedded texts are the files as they are in the tree. */
	disk = check_slurp(FS_SOURCE_DIR "/syscalls/pipe.c", NULL);
	CHECK(disk && s && !strcmp(disk, s->text));
	free(disk);
	disk = check_slurp(FS_SOURCE_DIR "/harness/harness.h", NULL);
	CHECK(disk && !strcmp(disk, repro_text_harness_h));
	free(disk);
	disk = check_slurp(FS_SOURCE_DIR "/harness/net.c", NULL);
	CHECK(disk && !strcmp(disk, repro_text_net_c));
	free(disk);
	disk = check_slurp(FS_SOURCE_DIR "/harness/ipc.h", NULL);
	CHECK(disk && !strcmp(disk, repro_text_ipc_h));
	free(disk);
	s = repro_find_case("connect_inet");
	CHECK(s && !strcmp(s->path, "syscalls/connect.c"));
	s = repro_find_case("msgsnd");
	CHECK(s && !strcmp(s->path, "syscalls/msg.c"));
}

static void test_select(struct jread_journal *j)
{
	struct repro_opts o = { .faultsweep = "/opt/fs dir/faultsweep" };
	struct repro_stats st;

	CHECK(repro_write_all(j, dir, &o, &st) == 0);
	CHECK(st.failing == 7);
	CHECK(st.written == 4);
	CHECK(st.dup == 1);
	CHECK(st.unknown == 2);
	CHECK(exists("pipe2-n3.c") && exists("pipe2-n3.sh"));
	CHECK(!exists("pipe2-n4.c"));
	CHECK(!exists("pipe2-n5.c"));
	CHECK(exists("planted_write-n7.c") && exists("planted_write-n7.sh"));
	CHECK(!exists("no_such_case-n1.c"));

	CHECK(exists("connect_inet-n2.c") && exists("msgsnd-n2.c"));

	o.all = true;
	CHECK(repro_write_all(j, dir, &o, &st) == 0);
	CHECK(st.written == 5 && st.dup == 0);
	CHECK(exists("pipe2-n4.c") && exists("pipe2-n4.sh"));
}

static void test_c(void)
{
	char path[256], *c, *harness = check_slurp(FS_SOURCE_DIR "/syscalls/pipe.c", NULL), *body;
	const char *inc = "#include \"harness/harness.h\"\n";

	snprintf(path, sizeof(path), "%s/repro/pipe2-n3.c", dir);
	c = check_slurp(path, NULL);
	CHECK(c != NULL && harness != NULL);
	if (!c || !harness)
		goto out;
	/* The harness file verbatim but for its include of harness.h, pasted above. */
	body = strstr(harness, inc);
	CHECK(body != NULL);
	if (body)
		memmove(body, body + strlen(inc), strlen(body + strlen(inc)) + 1);
	CHECK(strstr(c, harness) != NULL);
	CHECK(strstr(c, repro_text_harness_h) != NULL);
	CHECK(strstr(c, inc) == NULL);
	CHECK(strstr(c, "repro_main(&fs_h_pipe2, \"pipe2\", nth, \"slab,page\")") != NULL);
	CHECK(strstr(c, "unsigned long nth = 3ul;") != NULL);
	CHECK(strstr(c, "unexpected-errno: pipe2 returns ENFILE") != NULL);
	CHECK(strstr(c, "kernel 6.12.0-test") != NULL);
	CHECK(strstr(c, "#define _GNU_SOURCE") < strstr(c, "#include"));
	/* Standalone: no faultsweep library, static glibc, no warnings. */
	CHECK(sh("cc -static -Wall -Wextra -Wno-unused-parameter -Werror -o %s.bin %s", path, path) == 0);
	snprintf(path, sizeof(path), "%s/repro/planted_write-n7.c", dir);
	CHECK(sh("cc -static -Wall -Werror -o %s.bin %s", path, path) == 0);
out:
	free(c);
	free(harness);
}

/*
 * A case that includes harness/net.h or harness/ipc.h gets that helper
 * pasted (header, then source) after harness_lib.c, and only then; the
 * reproducer compiles standalone and runs (N=0: said to be a bad N, 125).
 */
static void test_helpers(void)
{
	static const struct {
		const char *file, *has, *lacks;
	} t[] = {
		{ "connect_inet-n2.c", "harness/net", "harness/ipc" },
		{ "msgsnd-n2.c", "harness/ipc", "harness/net" },
		{ "pipe2-n3.c", NULL, "harness/net" },
		{ "pipe2-n3.c", NULL, "harness/ipc" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char path[256], mark[64], *c;

		snprintf(path, sizeof(path), "%s/repro/%s", dir, t[i].file);
		c = check_slurp(path, NULL);
		CHECK(c != NULL);
		if (!c)
			continue;
		/* Every include of a harness/ file is replaced by the file itself. */
		CHECK(strstr(c, "#include \"harness/") == NULL);
		if (t[i].has) {
			snprintf(mark, sizeof(mark), "/* ---- %s.h ---- */", t[i].has);
			CHECK(strstr(c, mark) != NULL);
			snprintf(mark, sizeof(mark), "/* ---- %s.c ---- */", t[i].has);
			CHECK(strstr(c, mark) != NULL);
			CHECK(strstr(c, mark) < strstr(c, "/* ---- reports/repro/repro_rt.c ---- */"));
			CHECK(strstr(c, "/* ---- harness/harness_lib.c ---- */") < strstr(c, mark));
		}
		snprintf(mark, sizeof(mark), "/* ---- %s.h ---- */", t[i].lacks);
		CHECK(strstr(c, mark) == NULL);
		free(c);
		CHECK(sh("cc -static -Wall -Wextra -Wno-unused-parameter -Werror -o %s.bin %s",
			 path, path) == 0);
		CHECK(sh("out=$(%s.bin 0); st=$?; [ \"$out\" = 'repro: 125 cannot tell: bad N 0' ] "
			 "&& exit $st; exit 99", path) == 125);
	}
}

static void test_sh(void)
{
	char path[256], cmd[512], out[256] = "", *s;
	FILE *p;

	snprintf(path, sizeof(path), "%s/repro/planted_write-n7.sh", dir);
	s = check_slurp(path, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(sh("bash -n %s", path) == 0);
	CHECK(access(path, X_OK) == 0);
	CHECK(strstr(s, "@CASE@") == NULL && strstr(s, "@NTH@") == NULL);
	/* Every other @ of the template is kept: the script's own bash arrays. */
	CHECK(strstr(s, "${#why[@]}") != NULL);
	CHECK(strstr(s, "\"${args[@]}\" -- \"$self\"") != NULL);
	CHECK(strstr(s, "\ncase_name=planted_write\n") != NULL);
	CHECK(strstr(s, "\nnth=${FS_REPRO_NTH:-7}\n") != NULL);
	CHECK(strstr(s, "src=\"$here/planted_write-n7.c\"") != NULL);
	CHECK(strstr(s, "FAULTSWEEP=${FAULTSWEEP:-'/opt/fs dir/faultsweep'}") != NULL);
	/* The quote in the title stays one shell word. */
	snprintf(cmd, sizeof(cmd), "eval \"$(grep ^expect= %s)\"; printf %%s \"$expect\"", path);
	p = popen(cmd, "r");
	CHECK(p && fgets(out, sizeof(out), p));
	CHECK_STR(out, "KASAN: it's */ slab-use-after-free in planted_write");
	if (p)
		pclose(p);
	/* An unknown argument is 125 (a bisect skips), never 128+. */
	CHECK(sh("bash %s --bogus > /dev/null", path) == 125);
	free(s);
}

int main(void)
{
	struct jread_journal j = { .quiet = true };

	snprintf(dir, sizeof(dir), "/tmp/test_repro.XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	CHECK(jread_load_mem(&j, "fixture.jsonl", journal, sizeof(journal) - 1) > 0);
	test_table();
	test_select(&j);
	test_c();
	test_helpers();
	test_sh();
	jread_free(&j);
	if (!check_fail)
		sh("rm -rf %s", dir);
	else
		fprintf(stderr, "left %s for a look\n", dir);
	return check_summary();
}
