/*
 * The coverage map's denominator: the static allocation sites of vmlinux and
 * of the modules in play (reports/sym/sym_sites.h) joined with the faulted
 * sites, limited to the scope, and counted per scope, directory, file and
 * function.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reports/coverage/cov_scope.h"

static const char *const reach_names[COV_NR_REACH] = {
	[COV_REACH_SWEEPABLE] = "sweepable", [COV_REACH_NOFAIL] = "nofail",
	[COV_REACH_BOOT_ONLY] = "boot-only", [COV_REACH_NOT_INJECTED] = "not-injected",
};

const char *cov_reach_str(enum cov_reach r)
{
	return (unsigned)r < COV_NR_REACH ? reach_names[r] : "unknown";
}

/* What the join needs besides the map. */
struct ctx {
	struct cov_map *m;
	struct sym *sy;
	struct sym_sites *lists;	/* one per cov_denom, same order */
	int **taken;			/* per list: the site index that holds each listed site, or -1 */
	struct cov_scopes sc;
	const char *kernel_build;
};

/* A .ko the journal's modcase records name, given to the symbolizer when it lacks one. */
static void modcase_modules(const struct jread_journal *j, struct sym *sy)
{
	struct stat st;
	size_t i;

	for (i = 0; i < j->nmodcases; i++) {
		const char *ko = jread_str(jread_get(&j->modcases[i], "ko"));
		const char *name = jread_str(jread_get(&j->modcases[i], "module"));

		if (*name && *ko && !sym_module_path(sy, name) && !stat(ko, &st))
			sym_add_modules(sy, ko);
	}
}

/* Read the static list of @module into the next cov_denom. */
static int load(struct ctx *c, const char *module, const struct cov_opts *o, const char *cache)
{
	struct cov_map *m = c->m;
	struct cov_denom *d;
	struct sym_sites *l;
	int err;

	d = realloc(m->denoms, (m->ndenoms + 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	m->denoms = d;
	l = realloc(c->lists, (m->ndenoms + 1) * sizeof(*l));
	if (!l)
		return -ENOMEM;
	c->lists = l;
	d = &m->denoms[m->ndenoms];
	l = &c->lists[m->ndenoms++];
	memset(d, 0, sizeof(*d));
	snprintf(d->module, sizeof(d->module), "%s", module);
	err = sym_sites_get(c->sy, module, o->no_cache ? NULL : cache, l);
	if (err == -ENOMEM)
		return err;
	snprintf(d->path, sizeof(d->path), "%s", *l->path ? l->path :
		 (sym_module_path(c->sy, module) ? sym_module_path(c->sy, module) : ""));
	snprintf(d->build_id, sizeof(d->build_id), "%s", l->build_id);
	d->ok = !err;
	d->sites = l->n;
	d->partial_funcs = l->partial_funcs;
	d->nofail_known = l->nofail_known;
	d->cached = l->cached;
	d->scan_s = l->scan_s;
	if (err == -ENOENT)
		snprintf(d->note, sizeof(d->note), "%s", *module ?
			 "no .ko for it (give report --modules): its sites are not counted" :
			 "no vmlinux: its sites are not counted");
	else if (err == -ENODATA)
		snprintf(d->note, sizeof(d->note), "no DWARF in %.150s: its sites are not counted",
			 d->path);
	else if (err)
		snprintf(d->note, sizeof(d->note), "cannot read it: %s", strerror(-err));
	if (!*module && *l->root)
		snprintf(m->root, sizeof(m->root), "%s", l->root);
	return 0;
}

static struct sym_sites *list_of(struct ctx *c, const char *module, size_t *k)
{
	char want[KREPORT_MOD_MAX], have[KREPORT_MOD_MAX];
	size_t i;

	cov_normalize(want, sizeof(want), module);
	for (i = 0; i < c->m->ndenoms; i++) {
		cov_normalize(have, sizeof(have), c->m->denoms[i].module);
		if (!strcmp(want, have) && c->m->denoms[i].ok) {
			*k = i;
			return &c->lists[i];
		}
	}
	return NULL;
}

static void set_rel(const struct ctx *c, struct cov_site *s)
{
	size_t n = strlen(c->m->root), b = c->kernel_build ? strlen(c->kernel_build) : 0;

	s->rel_off = 0;
	if (n && !strncmp(s->loc.file, c->m->root, n))
		s->rel_off = n;
	else if (b && !strncmp(s->loc.file, c->kernel_build, b) && s->loc.file[b] == '/')
		s->rel_off = b + 1;
}

static bool faults_meet(const char *a, const char *b)
{
	char x[64], *tok, *save = NULL;

	snprintf(x, sizeof(x), "%s", a);
	for (tok = strtok_r(x, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(tok);
		const char *p;

		for (p = b; (p = strstr(p, tok)) != NULL; p += n)
			if ((p == b || p[-1] == ',') && (!p[n] || p[n] == ','))
				return true;
	}
	return false;
}

static void from_list(struct ctx *c, struct cov_site *s, const struct sym_site *f)
{
	s->listed = true;
	snprintf(s->family, sizeof(s->family), "%s", f->family);
	snprintf(s->alloc, sizeof(s->alloc), "%s", f->alloc);
	s->tail = f->tail;
	s->gfp_known = f->gfp_known;
	s->gfp = f->gfp;
	s->reach = f->reach == SYM_REACH_NOFAIL ? COV_REACH_NOFAIL :
		   f->reach == SYM_REACH_BOOT_ONLY ? COV_REACH_BOOT_ONLY : COV_REACH_SWEEPABLE;
	if (s->nsteps) {
		s->contradicted = s->reach != COV_REACH_SWEEPABLE;
		s->reach = COV_REACH_SWEEPABLE;
	} else if (s->reach == COV_REACH_SWEEPABLE && *c->m->faults &&
		   !faults_meet(f->faults, c->m->faults)) {
		s->reach = COV_REACH_NOT_INJECTED;
	}
}

/* A tail-call site of @l whose function the call at the faulted frame @s targets. */
static const struct sym_site *tail_site(struct ctx *c, const struct cov_site *s,
					const struct sym_sites *l)
{
	char callee[KREPORT_SYM_MAX];
	size_t i, n;

	if (sym_call_target(c->sy, s->module, s->sym, callee, sizeof(callee)))
		return NULL;
	n = strcspn(callee, ".");
	for (i = 0; i < l->n; i++)
		if (l->v[i].tail && strlen(l->v[i].sym) == n && !strncmp(l->v[i].sym, callee, n))
			return &l->v[i];
	return NULL;
}

/* Place the faulted sites on listed lines; merge the points of one line. */
static int join(struct ctx *c)
{
	struct cov_map *m = c->m;
	size_t i, k, out = 0;
	int err = 0;

	for (i = 0; i < m->nsites && !err; i++) {
		struct cov_site *s = &m->sites[i];
		const struct sym_site *f = NULL;
		struct sym_sites *l = list_of(c, s->module, &k);
		int *at;

		s->points = 1;
		snprintf(s->family, sizeof(s->family), "%s", !strcmp(s->faults[0], "failslab") ?
			 "slab" : !strcmp(s->faults[0], "fail_page_alloc") ? "page" : "");
		if (s->symbolized && s->loc.line > 0 && l) {
			f = sym_sites_find(l, s->loc.file, s->loc.line);
			if (!f && (f = tail_site(c, s, l)) != NULL) {
				m->tail_mapped++;
				snprintf(s->loc.file, sizeof(s->loc.file), "%s", f->file);
				s->loc.line = f->line;
				snprintf(s->loc.scope, sizeof(s->loc.scope), "%s", f->func);
			}
		}
		set_rel(c, s);
		if (!f) {
			m->sites[out++] = *s;
			continue;
		}
		from_list(c, s, f);
		at = &c->taken[k][f - l->v];
		if (*at >= 0) {
			err = cov_site_merge(&m->sites[*at], s);
			continue;
		}
		*at = (int)out;
		m->sites[out++] = *s;
	}
	m->nsites = out;
	return err;
}

/* The listed sites in scope that no fault hit. */
static int unfaulted(struct ctx *c)
{
	struct cov_map *m = c->m;
	size_t i, k, n = 0, cap;
	struct cov_site *v;

	for (k = 0; k < m->ndenoms; k++)
		for (i = 0; i < c->lists[k].n; i++)
			n += c->taken[k][i] < 0;
	cap = m->nsites + n + 1;
	v = realloc(m->sites, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	m->sites = v;
	for (k = 0; k < m->ndenoms; k++) {
		for (i = 0; i < c->lists[k].n; i++) {
			const struct sym_site *f = &c->lists[k].v[i];
			struct cov_site *s = &m->sites[m->nsites];

			if (c->taken[k][i] >= 0)
				continue;
			memset(s, 0, sizeof(*s));
			snprintf(s->module, sizeof(s->module), "%s", m->denoms[k].module);
			snprintf(s->loc.module, sizeof(s->loc.module), "%s", s->module);
			snprintf(s->loc.func, sizeof(s->loc.func), "%s", f->sym);
			snprintf(s->loc.file, sizeof(s->loc.file), "%s", f->file);
			snprintf(s->loc.scope, sizeof(s->loc.scope), "%s", f->func);
			snprintf(s->loc.scope_file, sizeof(s->loc.scope_file), "%s", f->scope_file);
			s->loc.line = f->line;
			s->loc.scope_line = f->scope_line;
			s->symbolized = true;
			set_rel(c, s);
			if (!cov_scopes_hold(c->sc.v, c->sc.n, s->module, cov_rel(s), true))
				continue;
			from_list(c, s, f);
			s->in_scope = true;
			m->nsites++;
		}
	}
	return 0;
}

static int cmp_site(const void *a, const void *b)
{
	const struct cov_site *x = a, *y = b;
	int r;

	if (!x->nsteps != !y->nsteps || (x->nsteps && x->nsteps != y->nsteps))
		return x->nsteps > y->nsteps ? -1 : 1;
	if (x->nsteps)
		return strcmp(x->sym, y->sym);
	if ((r = strcmp(x->module, y->module)) || (r = strcmp(x->loc.file, y->loc.file)))
		return r;
	return x->loc.line < y->loc.line ? -1 : x->loc.line > y->loc.line;
}

/* The fault types of every run, each once ("" when a run does not say). */
static void runs_faults(const struct jread_journal *j, struct cov_map *m)
{
	char f[64], *tok, *save;
	size_t i, n;

	for (i = 0; i < j->nruns; i++) {
		if (!*j->runs[i].faults) {
			m->faults[0] = 0;
			return;
		}
		snprintf(f, sizeof(f), "%s", j->runs[i].faults);
		for (save = NULL, tok = strtok_r(f, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (faults_meet(tok, m->faults))
				continue;
			n = strlen(m->faults);
			snprintf(m->faults + n, sizeof(m->faults) - n, "%s%s", n ? "," : "", tok);
		}
	}
}

int cov_denominator(const struct jread_journal *j, const struct cov_opts *o, struct sym *sy,
		    struct cov_map *m)
{
	struct ctx c = { .m = m, .sy = sy, .kernel_build = m->kernel_build };
	const char *cache = NULL;
	char dir[SYM_PATH_MAX];
	bool vmlinux = false;
	size_t i, k;
	int err;

	if (o->cache_dir)
		cache = o->cache_dir;
	else if (!o->no_cache && sym_sites_cache_dir(dir, sizeof(dir)) == 0)
		cache = dir;
	runs_faults(j, m);
	modcase_modules(j, sy);
	m->default_scope = !o->nscopes;
	err = o->nscopes ? cov_scopes_given(&c.sc, o, sy) : cov_scopes_touched_modules(&c.sc, m, j);
	for (i = 0; i < m->nsites; i++)
		vmlinux |= !*m->sites[i].module;
	/* vmlinux first: its list names the source tree every path is shown below. */
	if (!err && (o->nscopes ? cov_scopes_want(&c.sc, "") : vmlinux))
		err = load(&c, "", o, cache);
	for (i = 0; i < m->nsites; i++)
		set_rel(&c, &m->sites[i]);
	if (!err && !o->nscopes)
		err = cov_scopes_touched_dirs(&c.sc, m);
	for (i = 0; !err && i < c.sc.n; i++)
		if (c.sc.v[i].kind == COV_SC_MODULE && !list_of(&c, c.sc.v[i].name, &k))
			err = load(&c, c.sc.v[i].name, o, cache);
	c.taken = calloc(m->ndenoms + 1, sizeof(*c.taken));
	if (!err && !c.taken)
		err = -ENOMEM;
	for (k = 0; !err && k < m->ndenoms; k++) {
		c.taken[k] = malloc((c.lists[k].n + 1) * sizeof(**c.taken));
		if (!c.taken[k])
			err = -ENOMEM;
		for (i = 0; !err && i < c.lists[k].n; i++)
			c.taken[k][i] = -1;
	}
	if (!err)
		err = join(&c);
	for (i = 0; !err && i < m->nsites; i++)
		m->sites[i].in_scope = m->default_scope ||
			cov_scopes_hold(c.sc.v, c.sc.n, m->sites[i].module, cov_rel(&m->sites[i]),
				 m->sites[i].symbolized && m->sites[i].loc.line > 0);
	if (!err)
		err = unfaulted(&c);
	if (!err) {
		qsort(m->sites, m->nsites, sizeof(*m->sites), cmp_site);
		for (m->nfaulted = 0; m->nfaulted < m->nsites && m->sites[m->nfaulted].nsteps;)
			m->nfaulted++;
		err = cov_groups(m, &c.sc);
	}
	for (k = 0; c.taken && k < m->ndenoms; k++)
		free(c.taken[k]);
	free(c.taken);
	for (k = 0; c.lists && k < m->ndenoms; k++)
		sym_sites_free(&c.lists[k]);
	free(c.lists);
	free(c.sc.v);
	return err;
}
