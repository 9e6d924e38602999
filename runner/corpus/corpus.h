/* Corpus files: what a run sweeps when no pattern is given (docs/corpus.md). */
#ifndef FS_CORPUS_H
#define FS_CORPUS_H

#include "runner/corpus/scenario.h"

struct fs_pattern {
	char pattern[128];
	char where[256];    /* file the pattern came from, or "command line" */
	int line;
};

struct fs_pattern_list {
	struct fs_pattern *items;
	int n, cap;
};

int corpus_add_pattern(struct fs_pattern_list *pl, const char *pattern, const char *where,
		       int line);

/**
 * corpus_load() - read @path: one directive per line, '#' comments.
 *   cases PATTERN...    harness selections (names, globs, areas)
 *   scenario NAME       a block of indented "KEY VALUE" lines (runner/corpus/scenario.h)
 * Scenarios go to @sl (NULL: a scenario is an error). Errors are printed as
 * "file:line:column: message". 0, -EINVAL (syntax) or -errno (cannot read).
 */
int corpus_load(const char *path, struct fs_pattern_list *pl, struct fs_scenario_list *sl);

void corpus_free(struct fs_pattern_list *pl);

#endif
