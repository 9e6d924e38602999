/* The harness registry: every FS_HARNESS() linked in, sorted by name, with pattern matching. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/harness.h"
#include "harness/registry.h"

extern const struct fs_reg __start_fs_harness[];
extern const struct fs_reg __stop_fs_harness[];

static struct fs_harness **sorted;
static size_t count;

static int by_name(const void *a, const void *b)
{
	const struct fs_harness *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static void load(void)
{
	const struct fs_reg *r;
	size_t i = 0;

	if (sorted)
		return;
	count = __stop_fs_harness - __start_fs_harness;
	sorted = calloc(count ? count : 1, sizeof(*sorted));
	if (!sorted)
		abort();
	for (r = __start_fs_harness; r < __stop_fs_harness; r++) {
		r->h->name = r->name;
		r->h->file = r->file;
		sorted[i++] = r->h;
	}
	qsort(sorted, count, sizeof(*sorted), by_name);
}

size_t fs_harness_count(void)
{
	load();
	return count;
}

const struct fs_harness *fs_harness_at(size_t i)
{
	load();
	return i < count ? sorted[i] : NULL;
}

int fs_harness_add(struct fs_harness *h)
{
	struct fs_harness **n;

	load();
	if (fs_harness_find(h->name))
		return -EEXIST;
	n = realloc(sorted, (count + 1) * sizeof(*sorted));
	if (!n)
		return -ENOMEM;
	sorted = n;
	sorted[count++] = h;
	qsort(sorted, count, sizeof(*sorted), by_name);
	return 0;
}

const struct fs_harness *fs_harness_find(const char *name)
{
	size_t i;

	load();
	for (i = 0; i < count; i++)
		if (!strcmp(sorted[i]->name, name))
			return sorted[i];
	return NULL;
}

bool reg_matches(const struct fs_harness *h, const char *pattern)
{
	char full[160];

	/* Hidden self-test cases only match their exact name. */
	if (h->flags & FS_HIDDEN)
		return !strcmp(pattern, h->name);
	snprintf(full, sizeof(full), "%s.%s", h->area, h->name);
	return !fnmatch(pattern, h->name, 0) || !fnmatch(pattern, full, 0) ||
	       !strcmp(pattern, h->area);
}

/* Optimal string alignment distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[64][64];

	if (la > 63 || lb > 63)
		return 64;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			d[i][j] = c;
		}
	}
	return d[la][lb];
}

size_t reg_nearest(const char *pattern, const struct fs_harness **out, size_t max)
{
	size_t i, n = 0, best = 64, dist;

	load();
	for (i = 0; i < count; i++) {
		if (sorted[i]->flags & FS_HIDDEN)
			continue;
		dist = strstr(sorted[i]->name, pattern) ? 1 : edit_distance(pattern, sorted[i]->name);
		/* A misspelt prefix ("socketpiar") is as near as a misspelt name. */
		if (strlen(sorted[i]->name) > strlen(pattern)) {
			char prefix[64];
			size_t d;

			snprintf(prefix, sizeof(prefix), "%.*s", (int)strlen(pattern), sorted[i]->name);
			d = edit_distance(pattern, prefix) + 1;
			if (d < dist)
				dist = d;
		}
		if (dist < best) {
			best = dist;
			n = 0;
		}
		if (dist == best && n < max)
			out[n++] = sorted[i];
	}
	return best <= 4 ? n : 0;
}
