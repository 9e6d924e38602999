/* Parses corpus files into harness selections; scenario directives come with `faultsweep exec`. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/corpus.h"

int corpus_add_pattern(struct fs_pattern_list *pl, const char *pattern, const char *where,
		       int line)
{
	struct fs_pattern *p;

	if (pl->n == pl->cap) {
		int cap = pl->cap ? pl->cap * 2 : 16;

		p = realloc(pl->items, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		pl->items = p;
		pl->cap = cap;
	}
	p = &pl->items[pl->n++];
	snprintf(p->pattern, sizeof(p->pattern), "%s", pattern);
	snprintf(p->where, sizeof(p->where), "%s", where);
	p->line = line;
	return 0;
}

static bool valid_pattern(const char *s)
{
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9') && !strchr("_.*?[]-", *s))
			return false;
	return true;
}

int corpus_load(const char *path, struct fs_pattern_list *pl)
{
	char *line = NULL, *save, *tok;
	size_t cap = 0;
	int lineno = 0, ret = 0;
	FILE *f = fopen(path, "re");

	if (!f) {
		fprintf(stderr, "faultsweep: corpus %s: %s\n", path, strerror(errno));
		return -errno;
	}
	while (getline(&line, &cap, f) > 0) {
		char *hash = strchr(line, '#');

		lineno++;
		if (hash)
			*hash = 0;
		line[strcspn(line, "\r\n")] = 0;
		tok = strtok_r(line, " \t", &save);
		if (!tok)
			continue;
		if (strcmp(tok, "cases")) {
			fprintf(stderr, "%s:%d:%ld: unknown directive '%s' (want 'cases')\n",
				path, lineno, (long)(tok - line) + 1, tok);
			ret = -EINVAL;
			continue;
		}
		tok = strtok_r(NULL, " \t", &save);
		if (!tok) {
			fprintf(stderr, "%s:%d:%zu: 'cases' needs at least one pattern\n", path,
				lineno, strlen("cases") + 1);
			ret = -EINVAL;
		}
		for (; tok; tok = strtok_r(NULL, " \t", &save)) {
			if (!valid_pattern(tok)) {
				fprintf(stderr, "%s:%d:%ld: bad pattern '%s' (letters, digits, _ . - * ? [ ])\n",
					path, lineno, (long)(tok - line) + 1, tok);
				ret = -EINVAL;
				continue;
			}
			if (corpus_add_pattern(pl, tok, path, lineno))
				ret = -ENOMEM;
		}
	}
	free(line);
	fclose(f);
	if (ret)
		corpus_free(pl);
	return ret;
}

void corpus_free(struct fs_pattern_list *pl)
{
	free(pl->items);
	pl->items = NULL;
	pl->n = pl->cap = 0;
}
