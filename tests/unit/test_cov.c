/*
 * Unit tests of the symbolizer and the coverage map: a stand-in module
 * (tests/fixtures/coverage/symtest.c compiled to fs_symtest.ko) and a
 * fixture journal of site, step and report records; coverage.json is read
 * back, coverage.info checked with `lcov --summary` and rendered with
 * genhtml when they are installed.
 *
 * Usage: test_cov FIXTURE_DIR KO_DIR WORK_DIR
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/coverage/cov.h"
#include "journal/jread.h"
#include "reports/sym/sym.h"
#include "reports/sym/sym_leaks.h"
#include "tests/unit/check.h"

/* The return address of symtest_site's call to ext_alloc, as an offset into symtest_site. */
static long call_offset(const char *ko, long *site_value)
{
	int fd = open(ko, O_RDONLY);
	Elf *e;
	Elf_Scn *scn = NULL;
	long site = -1, reloc = -1;
	size_t shstr;

	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_getshdrstrndx(e, &shstr))
		return -1;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t i;

		gelf_getshdr(scn, &sh);
		d = elf_getdata(scn, NULL);
		if (sh.sh_type == SHT_SYMTAB) {
			for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
				GElf_Sym s;

				gelf_getsym(d, i, &s);
				if (!strcmp(elf_strptr(e, sh.sh_link, s.st_name), "symtest_site"))
					site = s.st_value;
			}
		}
	}
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh, symsh;
		Elf_Data *d, *symd;
		size_t i;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_RELA ||
		    strcmp(elf_strptr(e, shstr, sh.sh_name), ".rela.text"))
			continue;
		d = elf_getdata(scn, NULL);
		gelf_getshdr(elf_getscn(e, sh.sh_link), &symsh);
		symd = elf_getdata(elf_getscn(e, sh.sh_link), NULL);
		for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Rela r;
			GElf_Sym s;

			gelf_getrela(d, i, &r);
			gelf_getsym(symd, GELF_R_SYM(r.r_info), &s);
			if (!strcmp(elf_strptr(e, symsh.sh_link, s.st_name), "ext_alloc"))
				reloc = r.r_offset;
		}
	}
	elf_end(e);
	close(fd);
	*site_value = site;
	return site >= 0 && reloc >= 0 ? reloc + 4 - site : -1;
}

static int site_line(const char *src)
{
	char *text = check_slurp(src, NULL), *p;
	int line = 1;

	if (!text)
		return -1;
	for (p = text; *p && strncmp(p, "/* SITE LINE */", 15); p++)
		line += *p == '\n';
	line = *p ? line : -1;
	free(text);
	return line;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && !strcmp(s + n - m, tail);
}

/* A leak the runner could only place as .text+OFF of an unloaded module gets its function. */
static void test_leak_titles(const char *kodir, long textoff)
{
	struct jread_journal j = { .quiet = true };
	const char *mods[] = { kodir };
	char rec[1024];
	int n;

	n = snprintf(rec, sizeof(rec),
		     "{\"type\":\"step\",\"run\":\"r\",\"case\":\"c\",\"area\":\"x\",\"nth\":3,"
		     "\"fired\":true,\"verdict\":\"PASS\"}\n"
		     "{\"type\":\"report\",\"run\":\"r\",\"case\":\"c\",\"nth\":3,"
		     "\"kind\":\"memory-leak\",\"title\":\"memory leak in .text+0x%lx [fs_symtest]\"}\n"
		     "{\"type\":\"report\",\"run\":\"r\",\"case\":\"c\",\"nth\":0,"
		     "\"kind\":\"memory-leak\",\"title\":\"memory leak in .text+0x10 [not_here]\"}\n",
		     textoff);
	CHECK(jread_load_mem(&j, "leaks", rec, n) > 0);
	CHECK(sym_name_unloaded_leaks(&j, mods, 1) == 1);
	CHECK(j.nsteps == 1 && j.steps[0].nreports == 1);
	if (j.nsteps == 1 && j.steps[0].nreports == 1)
		CHECK_STR(j.steps[0].reports[0].title, "memory leak in symtest_site [fs_symtest]");
	CHECK(j.norphans == 1);
	if (j.norphans == 1)	/* no .ko for it: left as it was */
		CHECK_STR(j.orphans[0].title, "memory leak in .text+0x10 [not_here]");
	jread_free(&j);
}

static void test_sym(const char *kodir, const char *src, long off, long value, int line)
{
	struct sym *s;
	struct sym_loc l;
	char so[64];

	CHECK(sym_new(&s) == 0);
	CHECK(sym_add_modules(s, kodir) == 1);
	CHECK(sym_module_path(s, "fs-symtest") != NULL);
	snprintf(so, sizeof(so), "symtest_site+0x%lx/0x40", off);
	CHECK(sym_resolve(s, "fs_symtest", so, false, &l) == 0);
	CHECK_STR(l.func, "symtest_site");
	CHECK_STR(l.module, "fs_symtest");
	CHECK(ends_with(l.file, "/symtest.c"));
	if (l.line != line)
		fprintf(stderr, "site resolved to %s:%d, want line %d\n", l.file, l.line, line);
	CHECK(l.line == line);
	CHECK_STR(l.scope, "symtest_site");
	CHECK(l.scope_line > 0 && l.scope_line < line);
	CHECK(sym_resolve(s, "fs_symtest", "nosuch+0x1/0x2", false, &l) == -ESRCH);
	CHECK(sym_resolve(s, "other", "symtest_site+0x1/0x2", false, &l) == -ENOENT);
	CHECK(sym_resolve(s, "", "vfs_write+0x1/0x2", false, &l) == -ENOENT);
	CHECK(sym_resolve(s, "fs_symtest", "garbage", false, &l) == -EINVAL);
	/* A bare address, the module's .text loaded at 0xffffffffc0001000. */
	CHECK(sym_resolve_addr(s, "fs_symtest", 0xffffffffc0001000ull,
			       0xffffffffc0001000ull + value + off, false, &l) == 0);
	CHECK_STR(l.func, "symtest_site");
	CHECK(l.line == line);
	CHECK(sym_resolve_addr(s, "fs_symtest", 0x2000, 0x1000, false, &l) == -EINVAL);
	test_leak_titles(kodir, value + off);
	CHECK(sym_set_vmlinux(s, "/nonexistent/vmlinux") == -ENOENT);
	CHECK(sym_set_vmlinux(s, src) == -ENOEXEC);
	sym_free(s);
}

static void test_map(const char *fixdir, const char *kodir, const char *work, long off, int line)
{
	struct jread_journal j = { .quiet = true };
	const char *mods[] = { kodir };
	struct cov_opts o = { .modules = mods, .nmodules = 1 };
	struct cov_map m;
	struct jread_val v;
	char path[4096], offs[32], *text, *p, *json, cmd[8300];
	size_t len;
	int files;

	snprintf(path, sizeof(path), "%s/journal.jsonl", fixdir);
	text = check_slurp(path, &len);
	CHECK(text != NULL);
	if (!text)
		return;
	/* The fixture names the site by symbol+offset; the offset depends on the compiler. */
	snprintf(offs, sizeof(offs), "0x%lx", off);
	while ((p = strstr(text, "@OFF@")) != NULL) {
		memmove(p + strlen(offs), p + 5, strlen(p + 5) + 1);
		memcpy(p, offs, strlen(offs));
	}
	CHECK(jread_load_mem(&j, "journal.jsonl", text, strlen(text)) > 0);
	free(text);
	CHECK(j.nsites == 7);
	CHECK(cov_build(&j, &o, &m) == 0);
	CHECK(m.coverage_on);
	CHECK(m.fired_steps == 6);
	CHECK(m.steps_with_site == 4);
	CHECK(m.unresolved == 2);
	CHECK(m.no_frame == 1);
	CHECK(m.unattributed == 1);
	CHECK(strstr(m.note, "/nonexistent/kernel-build/vmlinux") != NULL);
	CHECK(m.nsites == 3);
	if (m.nsites == 3) {
		const struct cov_site *s = &m.sites[0];

		CHECK_STR(s->loc.func, "symtest_site");
		CHECK(s->symbolized && s->loc.line == line && ends_with(s->loc.file, "/symtest.c"));
		CHECK(s->nsteps == 2 && s->nfaults == 2);
		CHECK(s->outcomes[COV_HANDLED] == 1 && s->outcomes[COV_SWALLOWED] == 1);
		s = &m.sites[1];
		CHECK_STR(s->loc.func, "bar_alloc");
		CHECK(!s->symbolized && strstr(s->note, "no vmlinux"));
		CHECK(s->outcomes[COV_KERNEL_REPORT] == 1 && s->outcomes[COV_HANDLED] == 0);
		CHECK(s->nkinds == 1 && !strcmp(s->kinds[0].name, "kernel:KASAN"));
		s = &m.sites[2];
		CHECK_STR(s->loc.func, "foo_alloc");
		CHECK(s->outcomes[COV_UNEXPECTED_ERRNO] == 1);
		CHECK(s->nkinds == 1 && !strcmp(s->kinds[0].name, "unexpected-errno"));
	}
	CHECK(cov_summary_text(&m, stdout) == 0);

	snprintf(path, sizeof(path), "%s/coverage.json", work);
	CHECK(cov_write_json(&m, path) == 0);
	json = check_slurp(path, &len);
	CHECK(json && jread_parse(json, len, &v) == 0);
	if (json && v.type == JREAD_OBJ) {
		const struct jread_val *t = jread_get(&v, "totals"), *sites = jread_get(&v, "sites");

		CHECK(jread_int(jread_get(t, "unresolved")) == 2);
		CHECK(jread_int(jread_get(t, "fired_steps")) == 6);
		CHECK(sites && sites->type == JREAD_ARR && sites->n == 3);
		if (sites && sites->n == 3) {
			CHECK_STR(jread_str(jread_get(&sites->items[0], "function")), "symtest_site");
			CHECK(jread_int(jread_get(&sites->items[0], "line")) == line);
			CHECK_STR(jread_str(jread_get(&sites->items[0], "module")), "fs_symtest");
			CHECK(jread_int(jread_get(jread_get(&sites->items[0], "outcomes"),
						  "swallowed")) == 1);
		}
		jread_val_free(&v);
	}
	free(json);

	snprintf(path, sizeof(path), "%s/coverage.info", work);
	files = cov_write_lcov(&m, path);
	CHECK(files == 1);
	text = check_slurp(path, NULL);
	CHECK(text && strstr(text, "FN:") && strstr(text, ",symtest_site\n"));
	snprintf(offs, sizeof(offs), "DA:%d,2\n", line);
	CHECK(text && strstr(text, offs));
	CHECK(text && strstr(text, "end_of_record\n"));
	free(text);
	if (system("command -v lcov >/dev/null 2>&1") == 0) {
		snprintf(cmd, sizeof(cmd), "lcov --summary '%s' > '%s/lcov.out' 2>&1", path, work);
		CHECK(system(cmd) == 0);
		snprintf(cmd, sizeof(cmd), "%s/lcov.out", work);
		text = check_slurp(cmd, NULL);
		CHECK(text && strstr(text, "lines......: 100.0% (1 of 1 line)"));
		CHECK(text && strstr(text, "functions..: 100.0% (1 of 1 function)"));
		if (text && !strstr(text, "lines......"))
			fputs(text, stderr);
		free(text);
	} else {
		printf("lcov not installed: tracefile not validated\n");
	}
	if (system("command -v genhtml >/dev/null 2>&1") == 0) {
		char note[256], html[4200];

		snprintf(html, sizeof(html), "%s/html", work);
		CHECK(cov_genhtml(&m, path, html, note, sizeof(note)) == 0);
		snprintf(cmd, sizeof(cmd), "%s/index.html", html);
		CHECK(access(cmd, R_OK) == 0);
		snprintf(cmd, sizeof(cmd), "grep -rl symtest_site '%s' >/dev/null", html);
		CHECK(system(cmd) == 0);
	} else {
		printf("genhtml not installed: html not rendered\n");
	}
	cov_free(&m);
	jread_free(&j);
}

/* No site record at all: a note, and every fired step unresolved. */
static void test_empty(void)
{
	static const char journal[] =
		"{\"type\":\"run\",\"run\":\"r\",\"coverage\":false}\n"
		"{\"type\":\"step\",\"run\":\"r\",\"case\":\"a\",\"nth\":1,\"fired\":true,"
		"\"verdict\":\"PASS\"}\n";
	struct jread_journal j = { .quiet = true };
	struct cov_opts o = { 0 };
	struct cov_map m;

	CHECK(jread_load_mem(&j, "mem", journal, sizeof(journal) - 1) == 2);
	CHECK(cov_build(&j, &o, &m) == 0);
	CHECK(m.nsites == 0 && m.fired_steps == 1 && m.unresolved == 1);
	CHECK(strstr(m.note, "without --coverage") != NULL);
	CHECK(cov_summary_text(&m, stdout) == 0);
	cov_free(&m);
	jread_free(&j);
}

int main(int argc, char **argv)
{
	char ko[4096], src[4096];
	long off, value = 0;
	int line;

	if (argc != 4) {
		fprintf(stderr, "usage: test_cov FIXTURE_DIR KO_DIR WORK_DIR\n");
		return 2;
	}
	snprintf(ko, sizeof(ko), "%s/fs_symtest.ko", argv[2]);
	snprintf(src, sizeof(src), "%s/symtest.c", argv[1]);
	off = call_offset(ko, &value);
	line = site_line(src);
	CHECK(off > 0 && line > 0);
	if (off <= 0 || line <= 0)
		return check_summary();
	if (mkdir(argv[3], 0755) && errno != EEXIST) {
		perror(argv[3]);
		return 2;
	}
	test_sym(argv[2], src, off, value, line);
	test_map(argv[1], argv[2], argv[3], off, line);
	test_empty();
	return check_summary();
}
