/* Unit tests of the fault-injection dump parser on tests/fixtures/fidump/ (console text and /dev/kmsg records) and of fail-nth-site files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klog/fidump.h"
#include "klog/kmsg.h"
#include "tests/unit/check.h"

#define MAX_DUMPS 16

struct expect {
	const char *fault;
	int pid;
	const char *site;	/* NULL: unresolved */
	const char *func, *module;
	int nframes;		/* -1: not checked */
	bool complete;
};

struct fixture {
	const char *file;
	int n;
	struct expect e[6];
};

static const struct fixture fixtures[] = {
	{ "console.txt", 4, {
		{ "failslab", 420, "unix_create1+0x6a/0x8a0", "unix_create1", "", 13, true },
		{ "fail_page_alloc", 421, "pipe_write+0x4f8/0x1380", "pipe_write", "", 11, true },
		/* verbose=1 (no stack), then a sysfs warning with a stack of its own */
		{ "failslab", -1, NULL, NULL, NULL, 0, false },
		{ "failslab", 433, "planted_write.cold+0x1b9/0x6f0", "planted_write", "fs_planted",
		  15, true },
	} },
	{ "kmsg_interleaved.txt", 5, {
		{ "fail_usercopy", 511, "move_addr_to_kernel+0x47/0x110", "move_addr_to_kernel", "",
		  10, true },
		{ "failslab", 510, "sk_prot_alloc+0x59/0x210", "sk_prot_alloc", "", 15, true },
		{ "failslab", -1, NULL, NULL, NULL, 0, false },
		{ "fail_futex", 512, "get_futex_key+0x2d4/0xd30", "get_futex_key", "", 10, true },
		/* cut short by the end of the log: only machinery frames */
		{ "fail_page_alloc", 513, NULL, NULL, NULL, 3, false },
	} },
};

static int load(const char *dir, const char *file, struct fidump **out)
{
	static struct kmsg_rec rec;
	struct fidump_parser *p = fidump_new();
	char path[4096], line[16384];
	struct fidump *d;
	bool kmsg = false;
	int n = 0, first = 1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f || !p) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		size_t l = strlen(line);

		if (first) {
			unsigned a, b;

			kmsg = sscanf(line, "%u,%u,", &a, &b) == 2;
			first = 0;
		}
		if (l && line[l - 1] == '\n')
			line[--l] = 0;
		if (kmsg) {
			CHECK(kmsg_parse_record(line, l, &rec) == 0);
			CHECK(fidump_feed_kmsg(p, &rec) >= 0);
		} else {
			CHECK(fidump_feed(p, line, 0) >= 0);
		}
		while ((d = fidump_next(p)) != NULL)
			if (n < MAX_DUMPS)
				out[n++] = d;
			else
				free(d);
	}
	fclose(f);
	CHECK(fidump_flush(p) >= 0);
	while ((d = fidump_next(p)) != NULL)
		if (n < MAX_DUMPS)
			out[n++] = d;
		else
			free(d);
	fidump_destroy(p);
	return n;
}

static void check_fixture(const char *dir, const struct fixture *fx)
{
	struct fidump *got[MAX_DUMPS];
	int n = load(dir, fx->file, got), i;

	if (n != fx->n)
		fprintf(stderr, "%s: %d dumps, want %d\n", fx->file, n, fx->n);
	CHECK(n == fx->n);
	for (i = 0; i < n && i < fx->n; i++) {
		const struct expect *e = &fx->e[i];
		const struct fidump *d = got[i];

		CHECK_STR(d->fault, e->fault);
		CHECK(d->pid == e->pid);
		CHECK(d->complete == e->complete);
		if (e->nframes >= 0 && d->nframes != e->nframes)
			fprintf(stderr, "%s #%d: %d frames, want %d\n", fx->file, i, d->nframes,
				e->nframes);
		CHECK(e->nframes < 0 || d->nframes == e->nframes);
		/* A dump prints no raw addresses: none may be journaled (site "addrs"). */
		for (int k = 0; k < d->nframes; k++)
			CHECK(d->frames[k].addr == 0);
		if (!e->site) {
			CHECK(d->site == -1);
			continue;
		}
		CHECK(d->site >= 0 && d->site < d->nframes);
		if (d->site < 0)
			continue;
		CHECK_STR(d->frames[d->site].sym, e->site);
		CHECK_STR(d->frames[d->site].func, e->func);
		CHECK_STR(d->frames[d->site].module, e->module);
		CHECK(d->frames[d->site].reliable);
	}
	for (i = 0; i < n; i++)
		free(got[i]);
}

static void test_machinery(void)
{
	CHECK(fidump_is_machinery("should_fail_ex"));
	CHECK(fidump_is_machinery("__kmalloc_cache_noprof"));
	CHECK(fidump_is_machinery("kmem_cache_alloc_lru_noprof"));
	CHECK(fidump_is_machinery("alloc_pages_mpol_noprof"));
	CHECK(fidump_is_machinery("_copy_from_user"));
	CHECK(fidump_is_machinery("kstrdup"));
	CHECK(fidump_is_machinery(""));
	CHECK(!fidump_is_machinery("unix_create1"));
	CHECK(!fidump_is_machinery("planted_write"));
	CHECK(!fidump_is_machinery("sk_prot_alloc"));
	CHECK(!fidump_is_machinery("alloc_file_pseudo"));
}

/* fail-nth-site files (tests/fixtures/failnth-site/): same site rules as the dumps. */
struct site_expect {
	const char *file;
	int ret;
	const char *fault, *site, *func, *module;	/* site NULL: unresolved */
	int nframes;
};

static const struct site_expect site_fixtures[] = {
	{ "socketpair.txt", 0, "failslab", "unix_create1+0x6a/0x8a0", "unix_create1", "", 9 },
	{ "pipe_write.txt", 0, "fail_page_alloc", "pipe_write+0x4f8/0x1380", "pipe_write", "", 9 },
	{ "planted.txt", 0, "failslab", "planted_write.cold+0x1b9/0x6f0", "planted_write",
	  "fs_planted", 10 },
	{ "machinery_only.txt", 0, "fail_page_alloc", NULL, NULL, NULL, 3 },
	{ "empty.txt", -2, NULL, NULL, NULL, NULL, 0 },
	/* The second form (size, gfp flags, raw addresses), from the series' test kernel. */
	{ "socketpair_v2.txt", 0, "failslab", "sk_prot_alloc.constprop.0+0x51/0x1e3", "sk_prot_alloc",
	  "", 11 },
	{ "slab_page_v2.txt", 0, "fail_page_alloc", "sk_prot_alloc.constprop.0+0x51/0x1e3",
	  "sk_prot_alloc", "", 16 },
	{ "planted_init_v2.txt", 0, "failslab", "planted_init+0xce/0x1000", "planted_init",
	  "fs_planted_clean", 10 },
};

static void check_site_file(const char *dir, const struct site_expect *e)
{
	static struct fidump d;
	char path[4096], text[4096];
	size_t n;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, e->file);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	ret = fidump_parse_site(text, n, &d);
	if (ret != e->ret)
		fprintf(stderr, "%s: returned %d, want %d\n", e->file, ret, e->ret);
	CHECK(ret == e->ret);
	if (ret)
		return;
	CHECK_STR(d.fault, e->fault);
	CHECK(d.complete && d.pid == -1);
	if (d.nframes != e->nframes)
		fprintf(stderr, "%s: %d frames, want %d\n", e->file, d.nframes, e->nframes);
	CHECK(d.nframes == e->nframes);
	if (!e->site) {
		CHECK(d.site == -1);
		return;
	}
	CHECK(d.site >= 0 && d.site < d.nframes);
	if (d.site < 0)
		return;
	CHECK_STR(d.frames[d.site].sym, e->site);
	CHECK_STR(d.frames[d.site].func, e->func);
	CHECK_STR(d.frames[d.site].module, e->module);
	CHECK(d.site == fidump_pick_site(&d));
	/* The second form carries size, gfp flags and an address per frame. */
	if (strstr(e->file, "_v2")) {
		CHECK(d.has_size && d.size > 0 && !strncmp(d.gfp, "0x", 2));
		CHECK(d.frames[d.site].addr >> 32 == 0xffffffffULL);
	}
}

/* The unnamed address is kept as an unreliable frame; CRLF, no final newline, NULLs. */
static void test_site_edges(void)
{
	static struct fidump d;
	const char *t = "failslab\r\n__kmalloc_noprof+0x1/0x2\r\nfoo+0x3/0x4 [m]";

	CHECK(fidump_parse_site(NULL, 0, &d) == -22);
	CHECK(fidump_parse_site("x", 1, NULL) == -22);
	CHECK(fidump_parse_site("\n\n", 2, &d) == -2);
	CHECK(fidump_parse_site(t, strlen(t), &d) == 0);
	CHECK(d.nframes == 2 && d.site == 1 && !strcmp(d.frames[1].module, "m"));
	t = "failslab\n0xffffffffc0341520\n";
	CHECK(fidump_parse_site(t, strlen(t), &d) == 0);
	CHECK(d.nframes == 1 && d.site == -1 && !d.frames[0].reliable);
	CHECK_STR(d.frames[0].sym, "0xffffffffc0341520");
	/* The second form: size and gfp flags, raw addresses (0 when hidden). */
	t = "fail_page_alloc size=4 gfp_mask=0x140cc0(GFP_USER|__GFP_COMP)\n"
	    "[<ffffffff8155c0e2>] should_fail_alloc_page+0x104/0x130\n"
	    "[<0000000000000000>] foo.cold+0x3/0x4 [m]\n";
	CHECK(fidump_parse_site(t, strlen(t), &d) == 0);
	CHECK_STR(d.fault, "fail_page_alloc");
	CHECK(d.has_size && d.size == 4);
	CHECK_STR(d.gfp, "0x140cc0(GFP_USER|__GFP_COMP)");
	CHECK(d.nframes == 2 && d.site == 1);
	CHECK(d.frames[0].addr == 0xffffffff8155c0e2ULL && d.frames[1].addr == 0);
	CHECK_STR(d.frames[0].sym, "should_fail_alloc_page+0x104/0x130");
	CHECK_STR(d.frames[1].func, "foo");
	CHECK_STR(d.frames[1].module, "m");
	/* A fault without gfp flags; the first form has no size. */
	t = "fail_usercopy size=1\n[<ffffffff81000000>] bar+0x1/0x2\n";
	CHECK(fidump_parse_site(t, strlen(t), &d) == 0);
	CHECK(d.has_size && d.size == 1 && !*d.gfp && d.site == 0);
	t = "failslab\nbar+0x1/0x2\n";
	CHECK(fidump_parse_site(t, strlen(t), &d) == 0);
	CHECK(!d.has_size && !*d.gfp && d.frames[0].addr == 0);
	/* A cut "[<" line is a frame named as printed, never an address. */
	t = "failslab size=x\n[<ffffffff81000000\n";
	CHECK(fidump_parse_site(t, strlen(t), &d) == 0);
	CHECK(!d.has_size && d.nframes == 1 && d.frames[0].addr == 0);
}

/* Junk, NULLs and a dump fed in one piece with embedded newlines. */
static void test_edges(void)
{
	struct fidump_parser *p = fidump_new();
	struct fidump *d;

	CHECK(fidump_feed(NULL, "x", 0) == -22);
	CHECK(fidump_feed(p, NULL, 0) == -22);
	CHECK(fidump_feed_kmsg(p, NULL) == -22);
	CHECK(fidump_flush(NULL) == -22);
	CHECK(fidump_next(NULL) == NULL);
	CHECK(fidump_feed(p, "random text\n name foo, interval 1", 0) == 0);
	CHECK(fidump_feed(p, "FAULT_INJECTION: forcing a failure.\nname failslab, interval 1\n"
		"CPU: 0 UID: 0 PID: 7 Comm: a Not tainted 6.12.0 #1\nCall Trace:\n <TASK>\n"
		" should_fail_ex+0x1/0x2\n foo+0x3/0x4 [m]\n </TASK>\n", 0) == 1);
	d = fidump_next(p);
	CHECK(d && d->site == 1 && !strcmp(d->frames[1].module, "m") && d->pid == 7);
	free(d);
	fidump_destroy(p);
	fidump_destroy(NULL);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : FS_SOURCE_DIR "/tests/fixtures/fidump";
	size_t i;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		check_fixture(dir, &fixtures[i]);
	for (i = 0; i < sizeof(site_fixtures) / sizeof(site_fixtures[0]); i++)
		check_site_file(FS_SOURCE_DIR "/tests/fixtures/failnth-site", &site_fixtures[i]);
	test_site_edges();
	test_machinery();
	test_edges();
	return check_summary();
}
