/*
 * The layout rule of docs/architecture.md, read from the includes of the
 * tree: the leaves (harness/, journal/, klog/) include nothing above them,
 * reports/ nothing from runner/, a runner room only its own or lower rooms,
 * and no two modules (foo.c with foo.h) include each other through any chain.
 *
 * usage: test_layout SRCDIR    — checks SRCDIR, then a planted tree that
 * must fail, so the checker itself is known to catch what it is for.
 */
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/check.h"

/*
 * Who may include whom. A file belongs to the first room whose prefix its
 * path starts with; it may include a file of a room listed in @may, or of
 * a runner room ranked below its own (@rank >= 0 for runner rooms).
 */
struct room {
	const char *prefix;
	int rank;               /* runner rooms: lower ranks are lower layers; -1 else */
	const char *may;        /* space-separated prefixes it may include besides itself */
	const char *why;
};

static const struct room rooms[] = {
	{ "harness/", -1, "", "harness/ is a leaf" },
	{ "journal/", -1, "", "journal/ is a leaf" },
	{ "klog/", -1, "", "klog/ is a leaf" },
	{ "syscalls/", -1, "harness/", "syscalls/ sees only the case API (harness/)" },
	{ "reports/", -1, "harness/ journal/ klog/",
	  "reports/ is made from the journal alone: nothing from runner/" },
	{ "runner/base/", 0, "harness/ journal/ klog/", NULL },
	{ "runner/inject/", 1, "harness/ journal/ klog/", NULL },
	{ "runner/corpus/", 1, "harness/ journal/ klog/", NULL },
	{ "runner/capture/", 2, "harness/ journal/ klog/", NULL },
	{ "runner/module/", 2, "harness/ journal/ klog/", NULL },
	{ "runner/sweep/", 3, "harness/ journal/ klog/", NULL },
	{ "runner/exec/", 4, "harness/ journal/ klog/", NULL },
	/* The end of a run makes the reports: only the rooms that end one. */
	{ "runner/vm/", 5, "harness/ journal/ klog/ reports/", NULL },
	{ "runner/cli/", 6, "harness/ journal/ klog/ reports/", NULL },
};
#define NROOMS (sizeof(rooms) / sizeof(rooms[0]))

/* Folders read; tests/ may include anything and is not read. */
static const char *const scanned[] = { "harness", "journal", "klog", "syscalls", "reports",
				       "runner" };

struct inc {
	char *from;             /* "klog/kreport.c" */
	int line;
	char *to;               /* "klog/kreport_int.h" */
};

static struct inc *incs;
static size_t nincs, capincs;
static char **files;
static size_t nfiles, capfiles;
static const char *root;
static size_t rootlen;

static const struct room *room_of(const char *path)
{
	for (size_t i = 0; i < NROOMS; i++)
		if (!strncmp(path, rooms[i].prefix, strlen(rooms[i].prefix)))
			return &rooms[i];
	return NULL;
}

static bool push(void **arr, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		void *p = realloc(*arr, c * size);

		if (!p)
			return false;
		*arr = p;
		*cap = c;
	}
	(*n)++;
	return true;
}

/* Every `#include "..."` of one file. */
static int read_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	const char *rel = path + rootlen + 1, *ext = strrchr(path, '.');
	char *text, *p, *nl;
	int line = 1;

	if (type != FTW_F || !ext || (strcmp(ext, ".c") && strcmp(ext, ".h")))
		return 0;
	text = check_slurp(path, NULL);
	if (!text || !push((void **)&files, &nfiles, &capfiles, sizeof(*files)))
		return -1;
	files[nfiles - 1] = strdup(rel);
	for (p = text; *p; p = nl ? nl + 1 : p + strlen(p), line++) {
		char *q = p, *end;

		nl = strchr(p, '\n');
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q++ != '#')
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (strncmp(q, "include", 7))
			continue;
		q += 7;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '"' || !(end = strchr(q + 1, '"')) || (nl && end > nl))
			continue;
		if (!push((void **)&incs, &nincs, &capincs, sizeof(*incs)))
			return -1;
		incs[nincs - 1] = (struct inc){ strdup(rel), line, strndup(q + 1, end - q - 1) };
		if (!nl)
			break;
	}
	free(text);
	(void)sb;
	(void)ftw;
	return 0;
}

static bool listed(const char *may, const char *to)
{
	const char *p = may;

	while (*p) {
		size_t n = strcspn(p, " ");

		if (n && !strncmp(to, p, n))
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

/* One rule break, printed as file:line; returns 1 for a break. */
static int check_one(const struct inc *in, FILE *out)
{
	const struct room *from = room_of(in->from), *to = room_of(in->to);
	char path[4096];
	struct stat sb;

	if (!from)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", root, in->to);
	if (stat(path, &sb)) {
		fprintf(out, "%s:%d: includes \"%s\", which is no file of the tree "
			"(includes name a path from the top of the tree)\n", in->from, in->line, in->to);
		return 1;
	}
	if (!to || to == from || listed(from->may, in->to))
		return 0;
	if (from->rank >= 0 && to->rank >= 0 && to->rank < from->rank)
		return 0;
	if (from->why)
		fprintf(out, "%s:%d: includes %s: %s\n", in->from, in->line, in->to, from->why);
	else if (to->rank >= 0)
		fprintf(out, "%s:%d: includes %s: %s is not below %s (runner rooms: base < inject, "
			"corpus < capture, module < sweep < exec < vm < cli)\n", in->from, in->line,
			in->to, to->prefix, from->prefix);
	else
		fprintf(out, "%s:%d: includes %s: %s may not include %s\n", in->from, in->line,
			in->to, from->prefix, to->prefix);
	return 1;
}

/*
 * Modules: foo.c and foo.h are one node. Tarjan's strongly connected
 * components over "a file of A includes B's header": a component of more
 * than one module is a cycle.
 */
static size_t nmods;
static char **mods;
static int *idx, *low, *stk, *comp, nstk, counter, ncycles;
static bool *onstk;

/* "klog/kreport" for klog/kreport.c, .h and the family's internal header kreport_int.h. */
static void mod_name(const char *file, char *buf, size_t len)
{
	const char *dot = strrchr(file, '.');
	size_t n = dot ? (size_t)(dot - file) : strlen(file);

	if (n > 4 && !strncmp(file + n - 4, "_int", 4))
		n -= 4;
	snprintf(buf, len, "%.*s", (int)n, file);
}

static int mod_index(const char *file)
{
	char name[4096];

	mod_name(file, name, sizeof(name));
	for (size_t i = 0; i < nmods; i++)
		if (!strcmp(mods[i], name))
			return (int)i;
	return -1;
}

static void strongconnect(int v, FILE *out)
{
	idx[v] = low[v] = ++counter;
	stk[nstk++] = v;
	onstk[v] = true;
	for (size_t e = 0; e < nincs; e++) {
		int a = mod_index(incs[e].from), b = mod_index(incs[e].to);

		if (a != v || b < 0 || b == v)
			continue;
		if (!idx[b]) {
			strongconnect(b, out);
			if (low[b] < low[v])
				low[v] = low[b];
		} else if (onstk[b] && idx[b] < low[v]) {
			low[v] = idx[b];
		}
	}
	if (low[v] != idx[v])
		return;
	if (stk[nstk - 1] == v) {
		onstk[stk[--nstk]] = false;
		return;
	}
	ncycles++;
	fprintf(out, "include cycle:");
	for (int w = -1; w != v;) {
		w = stk[--nstk];
		onstk[w] = false;
		comp[w] = ncycles;
		fprintf(out, " %s", mods[w]);
	}
	fputc('\n', out);
	/* The edges inside it, as file:line, to start from. */
	for (size_t e = 0; e < nincs; e++) {
		int a = mod_index(incs[e].from), b = mod_index(incs[e].to);

		if (a >= 0 && b >= 0 && a != b && comp[a] == ncycles && comp[b] == ncycles)
			fprintf(out, "  %s:%d: includes %s\n", incs[e].from, incs[e].line, incs[e].to);
	}
}

static void reset(void)
{
	for (size_t i = 0; i < nincs; i++) {
		free(incs[i].from);
		free(incs[i].to);
	}
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	for (size_t i = 0; i < nmods; i++)
		free(mods[i]);
	free(incs);
	free(files);
	free(mods);
	free(idx);
	free(low);
	free(stk);
	free(comp);
	free(onstk);
	incs = NULL;
	files = NULL;
	mods = NULL;
	nincs = capincs = nfiles = capfiles = nmods = 0;
}

/* Rule breaks plus cycles found under @dir, each printed to @out; -1 when unreadable. */
static int check_tree(const char *dir, FILE *out)
{
	int breaks = 0;
	size_t i;

	root = dir;
	rootlen = strlen(dir);
	for (i = 0; i < sizeof(scanned) / sizeof(scanned[0]); i++) {
		char path[4096];
		struct stat sb;

		snprintf(path, sizeof(path), "%s/%s", dir, scanned[i]);
		if (stat(path, &sb))
			continue;
		if (nftw(path, read_file, 16, FTW_PHYS))
			return -1;
	}
	for (i = 0; i < nincs; i++)
		breaks += check_one(&incs[i], out);

	mods = calloc(nfiles + 1, sizeof(*mods));
	for (i = 0; mods && i < nfiles; i++) {
		char name[4096];

		mod_name(files[i], name, sizeof(name));
		if (mod_index(files[i]) < 0)
			mods[nmods++] = strdup(name);
	}
	idx = calloc(nmods + 1, sizeof(int));
	low = calloc(nmods + 1, sizeof(int));
	stk = calloc(nmods + 1, sizeof(int));
	comp = calloc(nmods + 1, sizeof(int));
	onstk = calloc(nmods + 1, sizeof(bool));
	if (!mods || !idx || !low || !stk || !comp || !onstk)
		return -1;
	nstk = counter = ncycles = 0;
	for (i = 0; i < nmods; i++)
		if (!idx[i])
			strongconnect((int)i, out);
	breaks += ncycles;
	reset();
	return breaks;
}

static void plant(const char *dir, const char *rel, const char *text)
{
	char path[4096], *slash;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		mkdir(path, 0755);
		*slash = '/';
	}
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A tree that breaks each rule once: the checker must name every break. */
static void self_test(void)
{
	char dir[] = "/tmp/fs-layout-XXXXXX", cmd[64], *text = NULL;
	size_t len = 0;
	FILE *out;
	int n;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	plant(dir, "runner/sweep/sup.h", "/* x */\n");
	plant(dir, "runner/capture/kcap.h", "#include \"runner/sweep/sup.h\"\n");
	plant(dir, "runner/cli/cli.h", "");
	plant(dir, "runner/vm/vm.c", "#include \"runner/sweep/sup.h\"\n#include \"runner/cli/cli.h\"\n");
	plant(dir, "klog/kreport.c", "#include <stdio.h>\n\n#include \"klog/kreport.h\"\n"
	      "#include \"runner/sweep/sup.h\"\n");
	plant(dir, "klog/kreport.h", "");
	plant(dir, "reports/junit.c", "#include \"journal/jread.h\"\n#include \"runner/cli/cli.h\"\n");
	plant(dir, "journal/jread.h", "#include \"journal/a.h\"\n");
	plant(dir, "journal/a.h", "#include \"journal/b.h\"\n");
	plant(dir, "journal/b.h", "#include \"journal/jread.h\"\n");
	plant(dir, "syscalls/pipe.c", "#include \"harness/nope.h\"\n");

	out = open_memstream(&text, &len);
	n = check_tree(dir, out);
	fclose(out);
	CHECK(n == 6);
	CHECK(text && strstr(text, "klog/kreport.c:4: includes runner/sweep/sup.h: klog/ is a leaf"));
	CHECK(text && strstr(text, "runner/capture/kcap.h:1: includes runner/sweep/sup.h: "
			     "runner/sweep/ is not below runner/capture/"));
	CHECK(text && strstr(text, "runner/vm/vm.c:2: includes runner/cli/cli.h"));
	CHECK(text && !strstr(text, "runner/vm/vm.c:1:"));
	CHECK(text && strstr(text, "reports/junit.c:2: includes runner/cli/cli.h: reports/ is "
			     "made from the journal alone"));
	CHECK(text && strstr(text, "syscalls/pipe.c:1: includes \"harness/nope.h\", which is no file"));
	CHECK(text && strstr(text, "include cycle:") && strstr(text, "journal/a") &&
	      strstr(text, "journal/b") && strstr(text, "journal/jread"));
	if (check_fail)
		fprintf(stderr, "the checker's report on the planted tree:\n%s", text ? text : "");
	free(text);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "test_layout: could not remove %s\n", dir);
}

int main(int argc, char **argv)
{
	int n;

	if (argc != 2) {
		fprintf(stderr, "usage: test_layout SRCDIR\n");
		return 2;
	}
	n = check_tree(argv[1], stderr);
	if (n)
		fprintf(stderr, "test_layout: %d break(s) of the layout rule (docs/architecture.md)\n", n);
	CHECK(n == 0);
	self_test();
	printf("%d passed, %d failed\n", check_pass, check_fail);
	return check_fail ? 1 : 0;
}
