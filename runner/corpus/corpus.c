/* Parses corpus files: harness selections (`cases`) and scenario blocks (runner/corpus/scenario.c). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/corpus/corpus.h"

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

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9') && *s != '_')
			return false;
	return true;
}

/* A `cases` line: patterns separated by blanks, '#' to the end is a comment. */
static int cases_line(char *line, char *tok, char **save, const char *path, int lineno,
		      struct fs_pattern_list *pl)
{
	int ret = 0;

	tok = strtok_r(NULL, " \t", save);
	if (!tok) {
		fprintf(stderr, "%s:%d:%zu: 'cases' needs at least one pattern\n", path,
			lineno, strlen("cases") + 1);
		ret = -EINVAL;
	}
	for (; tok; tok = strtok_r(NULL, " \t", save)) {
		if (!valid_pattern(tok)) {
			fprintf(stderr, "%s:%d:%ld: bad pattern '%s' (letters, digits, _ . - * ? [ ])\n",
				path, lineno, (long)(tok - line) + 1, tok);
			ret = -EINVAL;
			continue;
		}
		if (corpus_add_pattern(pl, tok, path, lineno))
			ret = -ENOMEM;
	}
	return ret;
}

/* An indented line: "KEY VALUE" of the scenario above. */
static int property(struct fs_scenario *sc, char *line, const char *path, int lineno)
{
	char *key = line + strspn(line, " \t"), *val;
	size_t klen = strcspn(key, " \t");

	val = key + klen;
	if (*val)
		*val++ = 0;
	val += strspn(val, " \t");
	/* Trailing blanks are not part of a command. */
	while (*val && strchr(" \t", val[strlen(val) - 1]))
		val[strlen(val) - 1] = 0;
	return scn_directive(sc, key, val, path, lineno, (int)(key - line) + 1,
			     (int)(val - line) + 1);
}

int corpus_load(const char *path, struct fs_pattern_list *pl, struct fs_scenario_list *sl)
{
	char *line = NULL, *save, *tok;
	struct fs_scenario *sc = NULL;
	bool skip = false;	/* the block of a bad 'scenario' line: already reported */
	size_t cap = 0;
	int lineno = 0, ret = 0, r, i;
	FILE *f = fopen(path, "re");

	if (!f) {
		fprintf(stderr, "faultsweep: corpus %s: %s\n", path, strerror(errno));
		return -errno;
	}
	while (getline(&line, &cap, f) > 0) {
		char *first;

		lineno++;
		line[strcspn(line, "\r\n")] = 0;
		first = line + strspn(line, " \t");
		if (!*first || *first == '#')
			continue;
		if (first != line) {
			if (skip)
				continue;
			if (!sc) {
				fprintf(stderr, "%s:%d:%ld: an indented line belongs to a scenario "
					"block ('scenario NAME' above it)\n", path, lineno,
					(long)(first - line) + 1);
				ret = -EINVAL;
				continue;
			}
			if ((r = property(sc, line, path, lineno)))
				ret = r;
			continue;
		}
		if (sc && (r = scn_finish(sc, path)))
			ret = r;
		sc = NULL;
		skip = false;
		if (strchr(line, '#'))
			*strchr(line, '#') = 0;
		tok = strtok_r(line, " \t", &save);
		if (!strcmp(tok, "cases")) {
			if ((r = cases_line(line, tok, &save, path, lineno, pl)))
				ret = r;
			continue;
		}
		if (strcmp(tok, "scenario")) {
			fprintf(stderr, "%s:%d:%ld: unknown directive '%s' (want 'cases' or "
				"'scenario')\n", path, lineno, (long)(tok - line) + 1, tok);
			ret = -EINVAL;
			continue;
		}
		tok = strtok_r(NULL, " \t", &save);
		if (!tok || !valid_name(tok) || strtok_r(NULL, " \t", &save)) {
			fprintf(stderr, "%s:%d:%ld: 'scenario' needs one name ([a-z0-9_])\n", path,
				lineno, tok ? (long)(tok - line) + 1 : (long)strlen("scenario") + 1);
			ret = -EINVAL;
			skip = true;
			continue;
		}
		for (i = 0; sl && i < sl->n; i++) {
			if (strcmp(sl->items[i].name, tok))
				continue;
			fprintf(stderr, "%s:%d:%ld: scenario '%s' is already defined at %s:%d\n",
				path, lineno, (long)(tok - line) + 1, tok, sl->items[i].where,
				sl->items[i].line);
			ret = -EINVAL;
		}
		if (!sl) {
			fprintf(stderr, "%s:%d:1: scenarios are not taken here (only 'cases')\n",
				path, lineno);
			ret = -EINVAL;
			continue;
		}
		sc = scn_begin(sl, tok, path, lineno);
		if (!sc)
			ret = -ENOMEM;
	}
	if (sc && (r = scn_finish(sc, path)))
		ret = r;
	free(line);
	fclose(f);
	if (ret) {
		corpus_free(pl);
		if (sl)
			scn_list_free(sl);
	}
	return ret;
}

void corpus_free(struct fs_pattern_list *pl)
{
	free(pl->items);
	pl->items = NULL;
	pl->n = pl->cap = 0;
}
