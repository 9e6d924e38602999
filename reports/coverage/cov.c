/* The coverage map's model: site records joined with their steps, counted per site and symbolized. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/coverage/cov.h"
#include "reports/sym/sym_alloc.h"

static const char *const outcome_names[COV_NR_OUTCOMES] = {
	[COV_HANDLED] = "handled", [COV_UNEXPECTED_ERRNO] = "unexpected-errno",
	[COV_SWALLOWED] = "swallowed", [COV_OTHER_FINDING] = "other-finding",
	[COV_KERNEL_REPORT] = "kernel-report", [COV_NO_STEP] = "no-step-record",
};

const char *cov_outcome_str(enum cov_outcome o)
{
	return (unsigned)o < COV_NR_OUTCOMES ? outcome_names[o] : "unknown";
}

/* A site record reduced to what the map needs; the strings point into the journal or own[]. */
struct rec {
	const char *case_name, *fault, *site, *module;
	uint64_t nth;
	size_t order;
	char own[KREPORT_SYM_MAX + KREPORT_MOD_MAX];	/* a site picked again, and its module */
};

static bool inside(const char *symoff)
{
	char func[KREPORT_SYM_MAX];

	snprintf(func, sizeof(func), "%.*s", (int)strcspn(symoff, "+"), symoff);
	return sym_alloc_inside(func);
}

/*
 * The runner picked the first frame outside klog/fidump.c's machinery; the
 * report's allocator table (reports/sym/sym_alloc.c) names more helpers
 * (percpu, vmalloc, *_noprof APIs): walk past them in the record's frames,
 * from the site outwards, as "func+0xoff/0xsize [module]". True when moved.
 */
static bool repick(const struct jread_val *v, struct rec *r)
{
	const struct jread_val *fr = jread_get(v, "frames");
	size_t i, start = 0;

	if (!*r->site || !inside(r->site) || !fr || fr->type != JREAD_ARR)
		return false;
	for (i = 0; i < fr->n; i++)
		if (!strncmp(jread_str(&fr->items[i]), r->site, strlen(r->site)))
			break;
	start = i < fr->n ? i + 1 : 0;
	for (i = start; i < fr->n; i++) {
		const char *f = jread_str(&fr->items[i]), *mod;
		size_t n = strcspn(f, " ");

		if (!*f || !strncmp(f, "? ", 2) || n >= KREPORT_SYM_MAX)
			continue;
		snprintf(r->own, KREPORT_SYM_MAX, "%.*s", (int)n, f);
		if (inside(r->own))
			continue;
		mod = strchr(f + n, '[');
		snprintf(r->own + KREPORT_SYM_MAX, KREPORT_MOD_MAX, "%.*s",
			 mod ? (int)strcspn(mod + 1, "]") : 0, mod ? mod + 1 : "");
		r->site = r->own;
		r->module = r->own + KREPORT_SYM_MAX;
		return true;
	}
	return false;
}

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	int c = strcmp(x->case_name, y->case_name);

	if (c)
		return c;
	if (x->nth != y->nth)
		return x->nth < y->nth ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_step(const void *a, const void *b)
{
	const struct jread_step *x = *(const struct jread_step *const *)a;
	const struct jread_step *y = *(const struct jread_step *const *)b;
	int c = strcmp(x->case_name, y->case_name);

	if (c)
		return c;
	return x->nth < y->nth ? -1 : x->nth > y->nth;
}

static const struct jread_step *find_step(const struct jread_step *const *idx, size_t n,
					  const char *case_name, uint64_t nth)
{
	struct jread_step key = { .case_name = case_name, .nth = nth };
	const struct jread_step *kp = &key;
	const struct jread_step *const *hit = bsearch(&kp, idx, n, sizeof(*idx), cmp_step);

	return hit ? *hit : NULL;
}

/* The site @r names (the same symbol+offset in the same module), made when new. */
static struct cov_site *site_for(struct cov_map *m, const struct rec *r, size_t *cap)
{
	size_t i, n = strcspn(r->site, "/");
	struct cov_site *s;

	for (i = 0; i < m->nsites; i++) {
		s = &m->sites[i];
		if (!strcmp(s->module, r->module) && !strncmp(s->sym, r->site, n) &&
		    (s->sym[n] == '/' || !s->sym[n]))
			return s;
	}
	if (m->nsites == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;

		s = realloc(m->sites, ncap * sizeof(*s));
		if (!s)
			return NULL;
		m->sites = s;
		*cap = ncap;
	}
	s = &m->sites[m->nsites++];
	memset(s, 0, sizeof(*s));
	snprintf(s->sym, sizeof(s->sym), "%s", r->site);
	snprintf(s->module, sizeof(s->module), "%s", r->module);
	snprintf(s->loc.func, sizeof(s->loc.func), "%.*s", (int)strcspn(r->site, ".+"), r->site);
	snprintf(s->loc.module, sizeof(s->loc.module), "%s", r->module);
	return s;
}

static int count_kind(struct cov_site *s, const char *prefix, const char *kind)
{
	char name[48];
	struct cov_count *c;
	size_t i;

	snprintf(name, sizeof(name), "%s%s", prefix, kind);
	for (i = 0; i < s->nkinds; i++) {
		if (!strcmp(s->kinds[i].name, name)) {
			s->kinds[i].n++;
			return 0;
		}
	}
	c = realloc(s->kinds, (s->nkinds + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	s->kinds = c;
	c = &c[s->nkinds++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->n = 1;
	return 0;
}

static int add_step(struct cov_site *s, const struct rec *r, const struct jread_step *st)
{
	struct cov_step *steps;
	bool other = false, unexp = false;
	size_t i;
	int err = 0;

	steps = realloc(s->steps, (s->nsteps + 1) * sizeof(*steps));
	if (!steps)
		return -ENOMEM;
	s->steps = steps;
	s->steps[s->nsteps].case_name = r->case_name;
	s->steps[s->nsteps++].nth = r->nth;
	for (i = 0; i < (size_t)s->nfaults && strcmp(s->faults[i], r->fault); i++)
		;
	if (i == (size_t)s->nfaults && s->nfaults < 4)
		snprintf(s->faults[s->nfaults++], sizeof(s->faults[0]), "%s", r->fault);
	if (!st) {
		s->outcomes[COV_NO_STEP]++;
		return 0;
	}
	for (i = 0; i < st->nfindings && !err; i++) {
		if (!strcmp(st->findings[i].kind, "unexpected-errno"))
			unexp = true;
		else
			other = true;
		err = count_kind(s, "", st->findings[i].kind);
	}
	for (i = 0; i < st->nreports && !err; i++)
		err = count_kind(s, "kernel:", st->reports[i].kind);
	if (unexp)
		s->outcomes[COV_UNEXPECTED_ERRNO]++;
	if (other)
		s->outcomes[COV_OTHER_FINDING]++;
	if (st->nreports)
		s->outcomes[COV_KERNEL_REPORT]++;
	if (st->swallowed)
		s->outcomes[COV_SWALLOWED]++;
	else if (!st->nfindings && !st->nreports && !strcmp(st->verdict, "PASS"))
		s->outcomes[COV_HANDLED]++;
	return err;
}

/* A step that ended with its worker or the kernel: whether its fault fired is not known. */
static bool died(const struct jread_step *st)
{
	static const char *const kinds[] = { "worker-killed", "hang", "kernel-panic", "vm-lost" };
	size_t i, k;

	for (i = 0; i < st->nfindings; i++)
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (!strcmp(st->findings[i].kind, kinds[k]))
				return true;
	return false;
}

int cov_site_merge(struct cov_site *into, struct cov_site *from)
{
	struct cov_step *st;
	size_t i, k;
	int o, err = 0;

	st = realloc(into->steps, (into->nsteps + from->nsteps + 1) * sizeof(*st));
	if (!st)
		return -ENOMEM;
	into->steps = st;
	memcpy(st + into->nsteps, from->steps, from->nsteps * sizeof(*st));
	into->nsteps += from->nsteps;
	for (o = 0; o < COV_NR_OUTCOMES; o++)
		into->outcomes[o] += from->outcomes[o];
	for (i = 0; i < (size_t)from->nfaults; i++) {
		for (k = 0; k < (size_t)into->nfaults && strcmp(into->faults[k], from->faults[i]); k++)
			;
		if (k == (size_t)into->nfaults && into->nfaults < 4)
			memcpy(into->faults[into->nfaults++], from->faults[i], sizeof(from->faults[i]));
	}
	for (i = 0; i < from->nkinds && !err; i++)
		for (k = 0; k < from->kinds[i].n && !err; k++)
			err = count_kind(into, "", from->kinds[i].name);
	into->points += from->points;
	into->contradicted |= from->contradicted;
	free(from->steps);
	free(from->kinds);
	from->steps = NULL;
	from->kinds = NULL;
	return err;
}

static void symbolize(struct cov_map *m, struct sym *sy, bool have_vmlinux)
{
	size_t i;

	for (i = 0; i < m->nsites; i++) {
		struct cov_site *s = &m->sites[i];
		struct sym_loc loc;
		int err = sym_resolve(sy, s->module, s->sym, false, &loc);

		if (err == 0 || err == -ENODATA) {
			s->loc = loc;
			s->symbolized = err == 0;
		}
		if (err == -ENOENT && !*s->module)
			snprintf(s->note, sizeof(s->note), "no vmlinux%s", have_vmlinux ?
				 " (it could not be read)" : " (give report --vmlinux)");
		else if (err == -ENOENT)
			snprintf(s->note, sizeof(s->note), "no %s.ko (give report --modules)",
				 s->module);
		else if (err == -ESRCH)
			snprintf(s->note, sizeof(s->note), "%.*s is not in %s", (int)strcspn(s->sym, "+"),
				 s->sym, *s->module ? s->module : "vmlinux");
		else if (err == -ENODATA)
			snprintf(s->note, sizeof(s->note), "no line information (built without debug info?)");
		else if (err)
			snprintf(s->note, sizeof(s->note), "unparsable site");
	}
}

/* The symbols: --vmlinux, else <kernel_build>/vmlinux of the (last) run record. */
static void open_symbols(const struct jread_journal *j, const struct cov_opts *o,
			 struct cov_map *m, struct sym *sy)
{
	size_t i;
	int err;

	for (i = j->nruns; i-- > 0 && !*m->kernel_build;)
		snprintf(m->kernel_build, sizeof(m->kernel_build), "%s",
			 jread_str(jread_get(&j->runs[i].rec, "kernel_build")));
	if (o->vmlinux)
		snprintf(m->vmlinux, sizeof(m->vmlinux), "%s", o->vmlinux);
	else if (*m->kernel_build)
		snprintf(m->vmlinux, sizeof(m->vmlinux), "%.500s/vmlinux", m->kernel_build);
	err = *m->vmlinux ? sym_set_vmlinux(sy, m->vmlinux) : -ENOENT;
	if (err) {
		size_t n = strlen(m->note);

		snprintf(m->note + n, sizeof(m->note) - n, "%s%.400s%s%.60s: sites stay symbol+offset",
			 n ? "; " : "",
			 *m->vmlinux ? m->vmlinux : "no vmlinux (no --vmlinux, no kernel_build in the run record)",
			 *m->vmlinux ? ": " : "", *m->vmlinux ? strerror(-err) : "");
		m->vmlinux[0] = 0;
	}
	for (i = 0; i < o->nmodules; i++) {
		err = sym_add_modules(sy, o->modules[i]);
		if (err < 0) {
			size_t n = strlen(m->note);

			snprintf(m->note + n, sizeof(m->note) - n, "%s--modules %s: %s", n ? "; " : "",
				 o->modules[i], strerror(-err));
		}
	}
}

int cov_build(const struct jread_journal *j, const struct cov_opts *o, struct cov_map *m)
{
	const struct jread_step **idx = NULL;
	struct rec *recs = NULL;
	struct sym *sy = NULL;
	size_t i, n = 0, cap = 0;
	int err = 0;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < j->nruns; i++)
		m->coverage_on |= jread_bool(jread_get(&j->runs[i].rec, "coverage"));
	idx = calloc(j->nsteps + 1, sizeof(*idx));
	recs = calloc(j->nsites + 1, sizeof(*recs));
	if (!idx || !recs) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < j->nsteps; i++)
		idx[i] = &j->steps[i];
	qsort(idx, j->nsteps, sizeof(*idx), cmp_step);
	for (i = 0; i < j->nsites; i++) {
		const struct jread_val *v = &j->sites[i];
		struct rec *r = &recs[n];

		r->case_name = jread_str(jread_get(v, "case"));
		r->nth = jread_int(jread_get(v, "nth")) > 0 ? jread_int(jread_get(v, "nth")) : 0;
		r->fault = jread_str(jread_get(v, "fault"));
		r->site = jread_str(jread_get(v, "site"));
		r->module = jread_str(jread_get(v, "module"));
		r->order = i;
		m->repicked += repick(v, r);
		m->patch_records += !strcmp(jread_str(jread_get(v, "attribution")), "patch");
		if (!*r->case_name || !r->nth) {
			m->unattributed++;
			continue;
		}
		n++;
	}
	m->site_records = j->nsites;
	/* One site per step: a repeat (a merged journal, a resumed run) replaces the earlier. */
	qsort(recs, n, sizeof(*recs), cmp_rec);
	for (i = 0; i < n; i++) {
		const struct rec *r = &recs[i];
		struct cov_site *s;

		if (i + 1 < n && !strcmp(r->case_name, recs[i + 1].case_name) &&
		    r->nth == recs[i + 1].nth)
			continue;
		if (!*r->site) {
			m->no_frame++;
			continue;
		}
		s = site_for(m, r, &cap);
		if (!s) {
			err = -ENOMEM;
			goto out;
		}
		err = add_step(s, r, find_step(idx, j->nsteps, r->case_name, r->nth));
		if (err)
			goto out;
	}
	for (i = 0; i < j->nsteps; i++) {
		const struct jread_step *st = &j->steps[i];
		struct rec key = { .case_name = st->case_name, .nth = st->nth };
		size_t lo = 0, hi = n;
		bool has = false;

		if (!st->fired) {
			m->lost_steps += died(st) && !st->site;
			continue;
		}
		m->fired_steps++;
		/* The first record of (case, nth): order 0 sorts before any. */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (cmp_rec(&recs[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < n && !strcmp(recs[lo].case_name, st->case_name) &&
		       recs[lo].nth == st->nth; lo++)
			has = has || *recs[lo].site;
		if (has)
			m->steps_with_site++;
	}
	m->unresolved = m->fired_steps - m->steps_with_site;
	if (!j->nsites) {
		snprintf(m->note, sizeof(m->note), "no site data: %s",
			 m->coverage_on ? "the run had coverage on but journaled no site "
			 "records" : "the run was made without --coverage on a kernel without "
			 "fail-nth-site (no site records)");
		/* Still a denominator when one was asked for or modules were swept. */
		if (!o->nscopes && !j->nmodcases)
			goto out;
	}
	err = sym_new(&sy);
	if (err)
		goto out;
	open_symbols(j, o, m, sy);
	symbolize(m, sy, *m->vmlinux);
	err = cov_denominator(j, o, sy, m);
out:
	sym_free(sy);
	free(idx);
	free(recs);
	return err;
}

void cov_free(struct cov_map *m)
{
	size_t i;

	for (i = 0; i < m->nsites; i++) {
		free(m->sites[i].steps);
		free(m->sites[i].kinds);
	}
	free(m->sites);
	free(m->denoms);
	free(m->scopes);
	free(m->dirs);
	free(m->files);
	free(m->funcs);
	memset(m, 0, sizeof(*m));
}
