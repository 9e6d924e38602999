/*
 * Inside reports/coverage/: the scope of the map (what --coverage-scope
 * names, or what the faults touched) and the faulted/all counts per scope,
 * directory, file and function (struct cov_group).
 */
#ifndef FS_COV_SCOPE_H
#define FS_COV_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "reports/coverage/cov.h"

enum cov_scope_kind {
	COV_SC_VMLINUX,		/* all of vmlinux */
	COV_SC_MODULE,		/* one module */
	COV_SC_DIR,		/* a directory of the source tree and below */
	COV_SC_DIR_EXACT,	/* that directory alone (the default scope's) */
};

struct cov_scope {
	enum cov_scope_kind kind;
	char name[SYM_PATH_MAX];	/* module name ('-' as '_') or directory without '/' */
	const char *arg;		/* as given; NULL for a default one */
};

struct cov_scopes {
	struct cov_scope *v;
	size_t n, cap;
};

/* @s's file below the kernel source tree (or its whole path). */
static inline const char *cov_rel(const struct cov_site *s)
{
	return s->loc.file + s->rel_off;
}

/* A module name with '-' read as '_'. */
void cov_normalize(char *dst, size_t len, const char *src);

/* --coverage-scope: "vmlinux", a .ko (given to @sy when it lacks it), a module, else a directory. */
int cov_scopes_given(struct cov_scopes *sc, const struct cov_opts *o, struct sym *sy);

/* No --coverage-scope: the modules of @m's faulted sites and of @j's modcase records. */
int cov_scopes_touched_modules(struct cov_scopes *sc, const struct cov_map *m,
			       const struct jread_journal *j);

/* ... and each vmlinux directory holding a faulted site (the directory alone). */
int cov_scopes_touched_dirs(struct cov_scopes *sc, const struct cov_map *m);

/* Whether a site of @module at @rel (@has_line: its line is known) is in @v[0, n). */
bool cov_scopes_hold(const struct cov_scope *v, size_t n, const char *module, const char *rel,
		     bool has_line);

/* Whether any of @sc needs the static list of @module ("" vmlinux). */
bool cov_scopes_want(const struct cov_scopes *sc, const char *module);

/* m->total, m->scopes (one per @sc), m->dirs, m->files, m->funcs from the sites in scope. */
int cov_groups(struct cov_map *m, const struct cov_scopes *sc);

#endif
