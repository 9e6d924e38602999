/*
 * Unit tests of the static allocation-site list (reports/sym/sym_sites.c):
 * the fixture tree tests/fixtures/coverage/tree, compiled at test time into
 * a "vmlinux" (ET_EXEC, with init/main.c) and into fs_demo.ko (ET_REL, DWARF
 * 5 and DWARF 4), is scanned and the list compared line for line with the
 * SITE markers in its sources; then the cache and sym_call_target().
 *
 * Usage: test_sites TREE_DIR OBJ_DIR WORK_DIR
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/sym/sym_alloc.h"
#include "reports/sym/sym_sites.h"
#include "tests/unit/check.h"
#include "tests/unit/elf_calls.h"

struct want {
	char file[512], func[64], family[16], reach[2][16];
	int line;
	bool tail;
};

static struct want wants[64];
static int nwants;

/* The SITE markers of @path (the doc comment's own "SITE <" line is not one). */
static void markers(const char *path)
{
	char *text = check_slurp(path, NULL), *p, *line;
	int ln = 1;

	CHECK(text != NULL);
	for (line = p = text; text && *p; p++) {
		if (*p != '\n')
			continue;
		*p = 0;
		char *m = strstr(line, "/* SITE ");
		struct want *w = &wants[nwants];
		char tail[16] = "";

		if (m && nwants < 64 &&
		    sscanf(m, "/* SITE %63s %15s %15s %15s %15s", w->func, w->family, w->reach[0],
			   w->reach[1], tail) >= 4 && w->func[0] != '<') {
			snprintf(w->file, sizeof(w->file), "%s", path);
			w->line = ln;
			w->tail = !strcmp(tail, "tail");
			nwants++;
		}
		line = p + 1;
		ln++;
	}
	free(text);
}

/* The scan of @l against the markers: @which 0 vmlinux, 1 the .ko. */
static void compare(const struct sym_sites *l, int which, const char *what)
{
	int i, n = 0;

	for (i = 0; i < nwants; i++) {
		const struct want *w = &wants[i];
		const struct sym_site *s;

		if (!strcmp(w->reach[which], "-"))
			continue;
		n++;
		s = sym_sites_find(l, w->file, w->line);
		if (!s) {
			fprintf(stderr, "%s: no site at %s:%d\n", what, w->file, w->line);
			CHECK(s != NULL);
			continue;
		}
		CHECK_STR(s->func, w->func);
		CHECK_STR(s->family, w->family);
		CHECK_STR(sym_reach_str(s->reach), w->reach[which]);
		if (s->tail != w->tail)
			fprintf(stderr, "%s: %s:%d tail %d, want %d\n", what, w->file, w->line,
				s->tail, w->tail);
		CHECK(s->tail == w->tail);
	}
	if ((int)l->n != n) {
		for (size_t k = 0; k < l->n; k++)
			fprintf(stderr, "%s: scanned %s:%d %s\n", what, l->v[k].file, l->v[k].line,
				l->v[k].func);
	}
	CHECK((int)l->n == n);
	CHECK(l->nofail_known);
}

static const struct sym_site *at(const struct sym_sites *l, const char *tree, int line)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/net/demo/sites.c", tree);
	return sym_sites_find(l, path, line);
}

/* Cut every file in @dir after its first lines (@cut), or remove it; the number of files. */
static int cut_cache_or_remove(const char *dir, bool cut)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp)
		return -1;
	while ((d = readdir(dp)) != NULL) {
		char path[2048], *text;
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (!cut) {
			n += unlink(path) == 0;
			continue;
		}
		text = check_slurp(path, NULL);
		f = fopen(path, "w");
		if (text && f) {
			fwrite(text, 1, strlen(text) / 2, f);
			n++;
		}
		if (f)
			fclose(f);
		free(text);
	}
	closedir(dp);
	return n;
}

static void test_vmlinux(const char *tree, const char *obj, const char *work)
{
	char path[1024], cache[1024], root[1024];
	struct sym_sites l, c;
	struct sym *s;
	const struct sym_site *x;

	snprintf(path, sizeof(path), "%s/vmlinux", obj);
	snprintf(cache, sizeof(cache), "%s/cache", work);
	snprintf(root, sizeof(root), "%s/", tree);
	cut_cache_or_remove(cache, false);	/* a previous run's */
	CHECK(sym_new(&s) == 0);
	CHECK(sym_set_vmlinux(s, path) == 0);
	CHECK(sym_sites_get(s, "", cache, &l) == 0);
	CHECK(!l.cached && *l.build_id);
	CHECK_STR(l.root, root);
	compare(&l, 0, "vmlinux");
	/* The constant gfp arguments, inlined (kzalloc) and in a call (__vmalloc). */
	x = at(&l, tree, 23);
	CHECK(x && x->gfp_known && x->gfp == 0xcc0);
	x = at(&l, tree, 28);
	CHECK(x && x->gfp_known && x->gfp == 0x8cc0);
	x = at(&l, tree, 39);
	CHECK(x && x->gfp_known && x->gfp == 0x8cc0 && !strcmp(x->alloc, "__vmalloc"));
	x = at(&l, tree, 38);
	CHECK(x && !x->gfp_known);
	/* demo_helper, inlined twice, and the two kmallocs of line 40: one site each. */
	x = at(&l, tree, 18);
	CHECK(x && x->calls == 2 && !strcmp(x->alloc, "kmalloc"));
	x = at(&l, tree, 40);
	CHECK(x && x->calls == 2);
	/* The second read comes from the cache, the same list. */
	CHECK(sym_sites_get(s, "", cache, &c) == 0);
	CHECK(c.cached && c.n == l.n);
	for (size_t i = 0; i < l.n && i < c.n; i++) {
		CHECK_STR(c.v[i].file, l.v[i].file);
		CHECK(c.v[i].line == l.v[i].line && c.v[i].reach == l.v[i].reach &&
		      c.v[i].gfp == l.v[i].gfp && c.v[i].tail == l.v[i].tail);
		CHECK_STR(c.v[i].family, l.v[i].family);
		CHECK_STR(c.v[i].func, l.v[i].func);
	}
	CHECK_STR(c.root, l.root);
	sym_sites_free(&c);
	/* A cut cache file is scanned again (and rewritten). */
	CHECK(cut_cache_or_remove(cache, true) == 1);
	CHECK(sym_sites_get(s, "", cache, &c) == 0);
	CHECK(!c.cached && c.n == l.n);
	sym_sites_free(&c);
	CHECK(sym_sites_get(s, "", cache, &c) == 0);
	CHECK(c.cached && c.n == l.n);
	sym_sites_free(&c);
	sym_sites_free(&l);
	sym_free(s);
}

static void test_module(const char *tree, const char *obj, const char *ko, const char *what)
{
	char path[1024], callee[64], so[64];
	struct sym_sites l;
	struct sym *s;
	long off[4] = { 0 }, size = 0;

	snprintf(path, sizeof(path), "%s/%s", obj, ko);
	CHECK(sym_new(&s) == 0);
	CHECK(sym_add_modules(s, path) == 1);
	CHECK(sym_sites_get(s, "nosuch", NULL, &l) == -ENOENT);
	sym_sites_free(&l);
	snprintf(path, sizeof(path), "%.*s", (int)(strlen(ko) - 3), ko);
	CHECK(sym_sites_get(s, path, NULL, &l) == 0);
	CHECK(!l.cached && !*l.root);
	compare(&l, 1, what);
	sym_sites_free(&l);
	/* The call before a return address: what a tail-called site's callers show. */
	snprintf(callee, sizeof(callee), "%s/%s", obj, ko);
	CHECK(elf_calls(callee, "demo_tail_caller", "demo_tail", off, 4, &size) == 1);
	snprintf(so, sizeof(so), "demo_tail_caller+0x%lx/0x%lx", off[0], size);
	CHECK(sym_call_target(s, path, so, callee, sizeof(callee)) == 0);
	CHECK_STR(callee, "demo_tail");
	CHECK(sym_call_target(s, path, "demo_tail_caller+0x1/0x40", callee, sizeof(callee)) ==
	      -ESRCH);
	CHECK(sym_call_target(s, "nosuch", so, callee, sizeof(callee)) == -ENOENT);
	sym_free(s);
}

/* The table: families, the rows that allocate nothing, the *_noprof rule. */
static void test_table(void)
{
	const struct sym_allocator *a;

	CHECK((a = sym_allocator_of("kmalloc_noprof")) && !strcmp(a->family, "slab"));
	CHECK((a = sym_allocator_of("__alloc_pages_noprof")) && !strcmp(a->family, "page"));
	CHECK((a = sym_allocator_of("vzalloc.constprop.0")) && !strcmp(a->family, "vmalloc"));
	CHECK((a = sym_allocator_of("pcpu_alloc_noprof")) && !strcmp(a->family, "percpu"));
	CHECK((a = sym_allocator_of("rhashtable_init_noprof")) && !strcmp(a->family, "other"));
	CHECK(sym_allocator_of("kmalloc_size_roundup") == NULL);
	CHECK(sym_allocator_of("vmalloc_to_page") == NULL);
	CHECK(sym_allocator_of("sk_alloc") == NULL);
	CHECK(sym_alloc_inside("should_failslab") && sym_alloc_inside("pcpu_create_chunk"));
	CHECK(!sym_alloc_inside("sk_prot_alloc"));
}

int main(int argc, char **argv)
{
	char path[1024];

	if (argc != 4) {
		fprintf(stderr, "usage: test_sites TREE_DIR OBJ_DIR WORK_DIR\n");
		return 2;
	}
	if (mkdir(argv[3], 0755) && errno != EEXIST) {
		perror(argv[3]);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/init/main.c", argv[1]);
	markers(path);
	snprintf(path, sizeof(path), "%s/net/demo/sites.c", argv[1]);
	markers(path);
	CHECK(nwants == 15);
	test_table();
	test_vmlinux(argv[1], argv[2], argv[3]);
	test_module(argv[1], argv[2], "fs_demo.ko", "fs_demo.ko");
	test_module(argv[1], argv[2], "fs_demo4.ko", "fs_demo4.ko (DWARF 4)");
	return check_summary();
}
