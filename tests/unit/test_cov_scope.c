/*
 * Unit tests of the coverage map against its denominator: a fixture journal
 * whose sites are frames in the fixture tree's "vmlinux" and fs_demo.ko
 * (tests/fixtures/coverage/tree, offsets read from the .ko's relocations),
 * joined with their static lists: faulted and never-faulted sites, the
 * sites fail-nth cannot fail, a tail call, a frame inside an allocator API,
 * the scopes, the JSON, the lcov tracefile and the genhtml pages.
 *
 * Usage: test_cov_scope TREE_DIR OBJ_DIR WORK_DIR
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal/jread.h"
#include "reports/coverage/cov.h"
#include "tests/unit/check.h"
#include "tests/unit/elf_calls.h"

static char tree[1024], obj[1024], work[1024], ko[1100], vmlinux[1100];

/* "func+0xOFF/0xSIZE" of the call in @func to @target that sym places on sites.c:@line. */
static int frame(const char *func, const char *target, int line, char *buf, size_t len)
{
	struct sym *s;
	struct sym_loc l;
	long off[8], size = 0;
	int n = elf_calls(ko, func, target, off, 8, &size), i, found = -1;

	CHECK(sym_new(&s) == 0);
	CHECK(sym_add_modules(s, ko) == 1);
	for (i = 0; i < n; i++) {
		snprintf(buf, len, "%s+0x%lx/0x%lx", func, off[i], size);
		if (sym_resolve(s, "fs_demo", buf, false, &l) == 0 && l.line == line)
			found = i;
	}
	sym_free(s);
	if (found < 0) {
		fprintf(stderr, "no call from %s to %s on line %d\n", func, target, line);
		return -1;
	}
	snprintf(buf, len, "%s+0x%lx/0x%lx", func, off[found], size);
	return 0;
}

static void add(char **j, size_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char **j, size_t *n, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p = realloc(*j, *n + k + 2);
	if (!p)
		abort();
	*j = p;
	va_start(ap, fmt);
	vsnprintf(p + *n, k + 1, fmt, ap);
	va_end(ap);
	*n += k;
	p[(*n)++] = '\n';
	p[*n] = 0;
}

#define STEP(c, nth, v, extra) \
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"" c "\",\"area\":\"x\",\"nth\":" #nth \
	",\"fired\":true,\"verdict\":\"" v "\"" extra "}"
#define SITE "{\"type\":\"site\",\"run\":\"r1\",\"case\":\"%s\",\"nth\":%d,\"attribution\":" \
	"\"patch\",\"fault\":\"failslab\",\"site\":\"%s\",\"module\":\"%s\",\"frames\":[%s]}"

static char *journal(size_t *len)
{
	char one[128], two[128], tail[128], four[128], fr[512];
	char *j = NULL;

	*len = 0;
	if (frame("demo_one", "__kmalloc_noprof", 23, one, sizeof(one)) ||
	    frame("demo_two", "kmem_cache_alloc_noprof", 38, two, sizeof(two)) ||
	    frame("demo_tail_caller", "demo_tail", 68, tail, sizeof(tail)) ||
	    frame("demo_four", "demo_table_noprof", 87, four, sizeof(four)))
		return NULL;
	add(&j, len, "{\"type\":\"run\",\"run\":\"r1\",\"faults\":\"slab\",\"coverage\":true,"
	    "\"kernel_build\":\"\"}");
	add(&j, len, STEP("a", 1, "PASS", ",\"errno_name\":\"ENOMEM\""));
	add(&j, len, SITE, "a", 1, one, "", "");
	add(&j, len, STEP("a", 2, "FAIL", ",\"findings\":[{\"kind\":\"unexpected-errno\","
			  "\"title\":\"unexpected errno EINVAL\"}]"));
	add(&j, len, SITE, "a", 2, two, "", "");
	add(&j, len, STEP("a", 3, "PASS", ""));
	add(&j, len, SITE, "a", 3, one, "", "");
	add(&j, len, STEP("b", 1, "PASS", ""));
	add(&j, len, SITE, "b", 1, tail, "fs_demo", "");
	add(&j, len, STEP("b", 2, "PASS", ",\"swallowed\":true"));
	snprintf(fr, sizeof(fr), "\"demo_table_noprof+0x9/0x30 [fs_demo]\",\"%s [fs_demo]\"", four);
	add(&j, len, SITE, "b", 2, "demo_table_noprof+0x9/0x30", "fs_demo", fr);
	return j;
}

static const struct cov_site *site_at(const struct cov_map *m, const char *module, int line)
{
	size_t i;

	for (i = 0; i < m->nsites; i++)
		if (!strcmp(m->sites[i].module, module) && m->sites[i].loc.line == line &&
		    strstr(m->sites[i].loc.file, "/net/demo/sites.c"))
			return &m->sites[i];
	return NULL;
}

static int build(struct jread_journal *j, const char *const *scopes, size_t n, struct cov_map *m)
{
	char cache[1200];
	struct cov_opts o = { .vmlinux = vmlinux, .scopes = scopes, .nscopes = n,
			      .cache_dir = cache };
	const char *mods[] = { ko };

	o.modules = mods;
	o.nmodules = 1;
	snprintf(cache, sizeof(cache), "%s/cache", work);
	return cov_build(j, &o, m);
}

/* The lowest percentage genhtml's @page shows in a table cell ("coverPerLo">36.4&nbsp;%), or -1. */
static double lowest_pct(const char *page)
{
	char *text = check_slurp(page, NULL), *p;
	double low = -1, v;

	for (p = text; p && (p = strstr(p, "class=\"coverPer")) != NULL; p++) {
		char *gt = strchr(p, '>');

		if (gt && sscanf(gt + 1, "%lf&nbsp;%%", &v) == 1 && (low < 0 || v < low))
			low = v;
	}
	free(text);
	return low;
}

static void test_outputs(const struct cov_map *m)
{
	char path[2600], cmd[6000], html[1300], note[256], *text;
	struct jread_val v;
	size_t len;

	snprintf(path, sizeof(path), "%s/coverage.json", work);
	CHECK(cov_write_json(m, path) == 0);
	text = check_slurp(path, &len);
	CHECK(text && jread_parse(text, len, &v) == 0);
	if (text && v.type == JREAD_OBJ) {
		const struct jread_val *t = jread_get(&v, "totals");
		const struct jread_val *sc = jread_get(jread_get(&v, "scope"), "total");
		const struct jread_val *nf = jread_get(&v, "never_faulted");
		const struct jread_val *d = jread_get(&v, "denominator");
		size_t i, nofail = 0;

		CHECK(jread_int(jread_get(t, "sites")) == 4);
		CHECK(jread_int(jread_get(t, "never_faulted_sites")) == 24);
		CHECK(jread_int(jread_get(sc, "sweepable")) == 21);
		CHECK(jread_int(jread_get(sc, "faulted")) == 4);
		CHECK(jread_num(jread_get(sc, "percent")) == 19.0);
		CHECK(nf && nf->type == JREAD_ARR && nf->n == 24);
		for (i = 0; nf && i < nf->n; i++)
			nofail += !strcmp(jread_str(jread_get(&nf->items[i], "reach")), "nofail") &&
				  !strcmp(jread_str(jread_get(&nf->items[i], "gfp")), "0x8cc0");
		CHECK(nofail == 4);
		CHECK_STR(jread_str(jread_get(d, "source")), "dwarf");
		CHECK_STR(jread_str(jread_get(d, "faults")), "slab");
		jread_val_free(&v);
	}
	free(text);

	snprintf(path, sizeof(path), "%s/coverage.info", work);
	CHECK(cov_write_lcov(m, path) == 1);
	text = check_slurp(path, NULL);
	CHECK(text && strstr(text, "DA:23,2\n") && strstr(text, "DA:87,1\n") &&
	      strstr(text, "DA:93,0\n") && strstr(text, "LF:11\nLH:4\n"));
	CHECK(text && !strstr(text, "DA:28,") && !strstr(text, "DA:37,") && !strstr(text, "BRDA"));
	free(text);
	/* lcov reads the sites as lines: 4 of the 11 site lines faulted. */
	snprintf(cmd, sizeof(cmd), "! command -v lcov >/dev/null || lcov --summary '%s' 2>&1 | "
		 "grep -qF 'lines......: 36.4%% (4 of 11 lines)'", path);
	CHECK(system(cmd) == 0);
	if (system("command -v genhtml >/dev/null 2>&1")) {
		printf("genhtml not installed: html not rendered\n");
		return;
	}
	snprintf(html, sizeof(html), "%s/html", work);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", html);
	CHECK(system(cmd) == 0);
	CHECK(cov_genhtml(m, path, html, note, sizeof(note)) == 0);
	if (*note)
		printf("genhtml: %s\n", note);
	CHECK(!*note);
	/* What a reader sees: the percentages below 100 %, the counts, the text. */
	snprintf(path, sizeof(path), "%s/index.html", html);
	CHECK(lowest_pct(path) == 36.4);
	text = check_slurp(path, NULL);
	CHECK(text && strstr(text, "4 / 11") && strstr(text, "allocation site") &&
	      strstr(text, "4 of 21 allocation sites faulted (19.0 %)"));
	free(text);
	snprintf(path, sizeof(path), "%s/net/demo/sites.c.gcov.html", html);
	text = check_slurp(path, NULL);
	CHECK(text != NULL);
	CHECK(text && strstr(text, "faulted 2 times (kmalloc): handled 2"));
	CHECK(text && strstr(text, "not counted: kzalloc with __GFP_NOFAIL (gfp 0x8cc0)"));
	CHECK(text && strstr(text, "[vmlinux] not counted: kzalloc in .init.text"));
	CHECK(text && strstr(text, "[fs_demo] never faulted (kzalloc, slab)"));
	CHECK(text && strstr(text, "unexpected-errno 1; findings: unexpected-errno x1"));
	free(text);
}

static void test_default(struct jread_journal *j)
{
	struct cov_map m;
	const struct cov_site *s;

	CHECK(build(j, NULL, 0, &m) == 0);
	CHECK(m.default_scope);
	CHECK(m.ndenoms == 2 && m.denoms[0].ok && m.denoms[1].ok);
	CHECK(m.nfaulted == 4 && m.nsites == 28);
	CHECK(m.repicked == 1 && m.tail_mapped == 1);
	CHECK(m.total.sites == 28 && m.total.sweepable == 21 && m.total.faulted == 4);
	CHECK(m.total.reach[COV_REACH_NOFAIL] == 4 && m.total.reach[COV_REACH_BOOT_ONLY] == 1);
	CHECK(m.total.reach[COV_REACH_NOT_INJECTED] == 2 && m.total.unlisted == 0);
	CHECK(m.nscopes == 2);
	s = site_at(&m, "", 23);
	CHECK(s && s->nsteps == 2 && s->outcomes[COV_HANDLED] == 2 && s->listed && s->in_scope);
	CHECK(s && !strcmp(s->family, "slab") && !strcmp(s->alloc, "kmalloc"));
	s = site_at(&m, "", 38);
	CHECK(s && s->nsteps == 1 && s->outcomes[COV_UNEXPECTED_ERRNO] == 1);
	s = site_at(&m, "fs_demo", 63);
	CHECK(s && s->nsteps == 1 && s->tail);
	s = site_at(&m, "fs_demo", 87);
	CHECK(s && s->nsteps == 1 && s->outcomes[COV_SWALLOWED] == 1 && !strcmp(s->family, "other"));
	s = site_at(&m, "", 28);
	CHECK(s && !s->nsteps && s->reach == COV_REACH_NOFAIL && s->gfp == 0x8cc0);
	s = site_at(&m, "", 93);
	CHECK(s && s->reach == COV_REACH_BOOT_ONLY);
	s = site_at(&m, "fs_demo", 93);
	CHECK(s && s->reach == COV_REACH_SWEEPABLE && !s->nsteps);
	s = site_at(&m, "fs_demo", 37);
	CHECK(s && s->reach == COV_REACH_NOT_INJECTED);
	CHECK(m.ndirs == 2 && !strcmp(m.dirs[0].name, "net/demo") && m.dirs[0].faulted == 2 &&
	      m.dirs[0].sweepable == 10 && !strcmp(m.dirs[1].module, "fs_demo") &&
	      m.dirs[1].sweepable == 11);
	CHECK(cov_summary_text(&m, stdout) == 0);
	test_outputs(&m);
	cov_free(&m);
}

/* Scopes as given: a directory (recursive), "vmlinux", a module, a directory of nothing. */
static void test_scopes(struct jread_journal *j)
{
	static const char *const net[] = { "net/" }, *const all[] = { "vmlinux" },
			  *const mod[] = { "fs_demo" }, *const init[] = { "./init" };
	struct cov_map m;
	const struct cov_site *s;

	CHECK(build(j, net, 1, &m) == 0);
	CHECK(!m.default_scope && m.nscopes == 1 && !strcmp(m.scopes[0].name, "net/"));
	CHECK(m.total.sites == 14 && m.total.sweepable == 10 && m.total.faulted == 2);
	/* The module is out of scope: its list is not read, its faulted sites stay as they are. */
	CHECK(m.ndenoms == 1);
	s = site_at(&m, "fs_demo", 68);
	CHECK(s && s->nsteps == 1 && !s->in_scope && !s->listed);
	CHECK(m.nsites == 16);		/* the 14 in scope and the module's 2 faulted */
	CHECK(cov_summary_text(&m, stdout) == 0);
	cov_free(&m);

	CHECK(build(j, all, 1, &m) == 0);
	CHECK(m.total.sites == 15 && m.total.sweepable == 10 && m.total.faulted == 2);
	CHECK(m.total.reach[COV_REACH_BOOT_ONLY] == 2);
	cov_free(&m);

	CHECK(build(j, mod, 1, &m) == 0);
	CHECK(m.ndenoms == 1 && m.total.sites == 14 && m.total.sweepable == 11 &&
	      m.total.faulted == 2);
	cov_free(&m);

	CHECK(build(j, init, 1, &m) == 0);
	CHECK(m.total.sites == 1 && m.total.sweepable == 0 && m.total.faulted == 0);
	CHECK(m.total.reach[COV_REACH_BOOT_ONLY] == 1);
	cov_free(&m);
}

int main(int argc, char **argv)
{
	struct jread_journal j = { .quiet = true };
	char *text;
	size_t len;

	if (argc != 4) {
		fprintf(stderr, "usage: test_cov_scope TREE_DIR OBJ_DIR WORK_DIR\n");
		return 2;
	}
	snprintf(tree, sizeof(tree), "%s", argv[1]);
	snprintf(obj, sizeof(obj), "%s", argv[2]);
	snprintf(work, sizeof(work), "%s", argv[3]);
	snprintf(ko, sizeof(ko), "%s/fs_demo.ko", obj);
	snprintf(vmlinux, sizeof(vmlinux), "%s/vmlinux", obj);
	if (mkdir(work, 0755) && errno != EEXIST) {
		perror(work);
		return 2;
	}
	text = journal(&len);
	CHECK(text != NULL);
	if (!text)
		return check_summary();
	CHECK(jread_load_mem(&j, "journal", text, len) > 0);
	free(text);
	CHECK(j.nsites == 5);
	test_default(&j);
	test_scopes(&j);
	jread_free(&j);
	return check_summary();
}
