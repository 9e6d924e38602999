/* The map's scope (--coverage-scope, or what the faults touched) and its counts per scope, directory, file and function. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/coverage/cov_scope.h"

void cov_normalize(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++)
		dst[i] = src[i] == '-' ? '_' : src[i];
	dst[i] = 0;
}

static int add(struct cov_scopes *c, enum cov_scope_kind kind, const char *name, const char *arg)
{
	struct cov_scope *s;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].kind == kind && !strcmp(c->v[i].name, name))
			return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;

		s = realloc(c->v, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		c->v = s;
		c->cap = cap;
	}
	s = &c->v[c->n++];
	s->kind = kind;
	s->arg = arg;
	if (kind == COV_SC_MODULE)
		cov_normalize(s->name, sizeof(s->name), name);
	else
		snprintf(s->name, sizeof(s->name), "%s", name);
	return 0;
}

/* The directory part of @path into @buf ("." for none). */
static void dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, len, ".");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

bool cov_scopes_hold(const struct cov_scope *v, size_t n, const char *module, const char *rel,
		     bool has_line)
{
	char mod[KREPORT_MOD_MAX], dir[SYM_PATH_MAX];
	size_t i;

	cov_normalize(mod, sizeof(mod), module);
	for (i = 0; i < n; i++) {
		const struct cov_scope *s = &v[i];

		if ((s->kind == COV_SC_VMLINUX && !*mod) ||
		    (s->kind == COV_SC_MODULE && !strcmp(s->name, mod)))
			return true;
		if (*mod || !has_line)
			continue;
		if (s->kind == COV_SC_DIR && under(rel, s->name))
			return true;
		dir_of(rel, dir, sizeof(dir));
		if (s->kind == COV_SC_DIR_EXACT && !strcmp(dir, s->name))
			return true;
	}
	return false;
}

/* --coverage-scope as given: "vmlinux", a .ko, a module name, else a directory. */
int cov_scopes_given(struct cov_scopes *c, const struct cov_opts *o, struct sym *sy)
{
	char dir[SYM_PATH_MAX];
	size_t i, n;
	int err = 0;

	for (i = 0; i < o->nscopes && !err; i++) {
		const char *a = o->scopes[i];
		const char *base = strrchr(a, '/');

		n = strlen(a);
		if (!strcmp(a, "vmlinux")) {
			err = add(c, COV_SC_VMLINUX, "vmlinux", a);
		} else if (n > 3 && !strcmp(a + n - 3, ".ko")) {
			base = base ? base + 1 : a;
			snprintf(dir, sizeof(dir), "%.*s", (int)(strlen(base) - 3), base);
			cov_normalize(dir, sizeof(dir), dir);
			if (!sym_module_path(sy, dir))
				sym_add_modules(sy, a);
			err = add(c, COV_SC_MODULE, dir, a);
		} else if (sym_module_path(sy, a)) {
			err = add(c, COV_SC_MODULE, a, a);
		} else {
			while (!strncmp(a, "./", 2))
				a += 2;
			snprintf(dir, sizeof(dir), "%s", a);
			while ((n = strlen(dir)) > 1 && dir[n - 1] == '/')
				dir[n - 1] = 0;
			err = add(c, COV_SC_DIR, dir, o->scopes[i]);
		}
	}
	return err;
}

/* No --coverage-scope: the modules the faults or the module cases touched. */
int cov_scopes_touched_modules(struct cov_scopes *c, const struct cov_map *m,
			       const struct jread_journal *j)
{
	size_t i;
	int err = 0;

	for (i = 0; i < m->nsites && !err; i++)
		if (*m->sites[i].module)
			err = add(c, COV_SC_MODULE, m->sites[i].module, NULL);
	for (i = 0; i < j->nmodcases && !err; i++) {
		const char *name = jread_str(jread_get(&j->modcases[i], "module"));

		if (*name)
			err = add(c, COV_SC_MODULE, name, NULL);
	}
	return err;
}

/* ... and each vmlinux directory a fault touched (that directory alone, not below). */
int cov_scopes_touched_dirs(struct cov_scopes *c, const struct cov_map *m)
{
	char dir[SYM_PATH_MAX];
	size_t i;
	int err = 0;

	for (i = 0; i < m->nsites && !err; i++) {
		const struct cov_site *s = &m->sites[i];

		if (*s->module || !s->symbolized || s->loc.line <= 0)
			continue;
		dir_of(cov_rel(s), dir, sizeof(dir));
		err = add(c, COV_SC_DIR_EXACT, dir, NULL);
	}
	return err;
}

bool cov_scopes_want(const struct cov_scopes *c, const char *module)
{
	char mod[KREPORT_MOD_MAX];
	size_t i;

	cov_normalize(mod, sizeof(mod), module);
	for (i = 0; i < c->n; i++) {
		const struct cov_scope *s = &c->v[i];

		if (*mod ? s->kind == COV_SC_MODULE && !strcmp(s->name, mod) :
		    s->kind != COV_SC_MODULE)
			return true;
	}
	return false;
}

/* The group named @name in @module of *@g, made when new (a linear probe: few groups). */
static struct cov_group *group(struct cov_group **g, size_t *n, const char *module,
			       const char *name)
{
	struct cov_group *p;
	size_t i;

	for (i = *n; i-- > 0;)
		if (!strcmp((*g)[i].name, name) && !strcmp((*g)[i].module, module))
			return &(*g)[i];
	p = realloc(*g, (*n + 1) * sizeof(*p));
	if (!p)
		return NULL;
	*g = p;
	p = &p[(*n)++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->module, sizeof(p->module), "%s", module);
	return p;
}

static void count(struct cov_group *g, const struct cov_site *s)
{
	g->sites++;
	g->reach[s->reach]++;
	g->sweepable += s->reach == COV_REACH_SWEEPABLE;
	g->faulted += s->nsteps > 0;
	g->unlisted += !s->listed;
}

static int cmp_group(const void *a, const void *b)
{
	const struct cov_group *x = a, *y = b;
	int c = strcmp(x->module, y->module);

	return c ? c : strcmp(x->name, y->name);
}

int cov_groups(struct cov_map *m, const struct cov_scopes *c)
{
	char dir[SYM_PATH_MAX], fn[SYM_PATH_MAX];
	size_t i, k;

	for (i = 0; i < c->n; i++) {
		struct cov_group *g = group(&m->scopes, &m->nscopes, "",
					    c->v[i].arg ? c->v[i].arg : c->v[i].name);

		if (!g)
			return -ENOMEM;
	}
	for (i = 0; i < m->nsites; i++) {
		struct cov_site *s = &m->sites[i];
		bool line = s->symbolized && s->loc.line > 0;
		struct cov_group *g;

		if (!s->in_scope)
			continue;
		count(&m->total, s);
		for (k = 0; k < c->n; k++)
			if (cov_scopes_hold(&c->v[k], 1, s->module, cov_rel(s), line))
				count(&m->scopes[k], s);
		if (line)
			dir_of(cov_rel(s), dir, sizeof(dir));
		else
			snprintf(dir, sizeof(dir), "(no line information)");
		if (!(g = group(&m->dirs, &m->ndirs, s->module, dir)))
			return -ENOMEM;
		count(g, s);
		if (!line)
			continue;
		if (!(g = group(&m->files, &m->nfiles, s->module, cov_rel(s))))
			return -ENOMEM;
		count(g, s);
		snprintf(fn, sizeof(fn), "%.120s %.380s", *s->loc.scope ? s->loc.scope : s->loc.func,
			 cov_rel(s));
		if (!(g = group(&m->funcs, &m->nfuncs, s->module, fn)))
			return -ENOMEM;
		count(g, s);
	}
	qsort(m->dirs, m->ndirs, sizeof(*m->dirs), cmp_group);
	qsort(m->files, m->nfiles, sizeof(*m->files), cmp_group);
	qsort(m->funcs, m->nfuncs, sizeof(*m->funcs), cmp_group);
	return 0;
}
