/* Report records in the journal reader: kept as read, deduplicated, attached to their steps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "journal/jread_int.h"

static const struct jread_val *get_any(const struct jread_val *o, const char *key)
{
	const struct jread_val *v = jread_get(o, key);

	/* Absent and null are the same to a report. */
	return v && v->type != JREAD_NULL ? v : NULL;
}

void jread_report_fill(struct jread_report *r, const struct jread_val *o)
{
	int64_t nth = jread_int(jread_get(o, "nth"));

	r->run = jread_str(jread_get(o, "run"));
	r->case_name = jread_str(jread_get(o, "case"));
	r->area = jread_str(jread_get(o, "area"));
	r->attribution = jread_str(jread_get(o, "attribution"));
	r->kind = jread_str(jread_get(o, "kind"));
	r->title = jread_str(jread_get(o, "title"));
	r->raw = jread_str(jread_get(o, "raw"));
	r->nth = nth > 0 ? nth : 0;
	r->pid = jread_int(jread_get(o, "pid"));
	r->panicked = jread_bool(jread_get(o, "panicked"));
	r->guilty = get_any(o, "guilty");
	r->site = get_any(o, "site");
	r->rec = o;
}

int jread_report_take(struct jread_journal *j, struct jread_val *rec, const char *file,
		      unsigned long line)
{
	struct jread_kept *k;

	if (j->nkept == j->kept_cap) {
		size_t cap = j->kept_cap ? j->kept_cap * 2 : 64;

		k = realloc(j->kept, cap * sizeof(*k));
		if (!k)
			goto nomem;
		j->kept = k;
		j->kept_cap = cap;
	}
	k = &j->kept[j->nkept];
	k->rec = malloc(sizeof(*k->rec));
	if (!k->rec)
		goto nomem;
	*k->rec = *rec;
	jread_report_fill(&k->r, k->rec);
	k->r.file = file;
	k->r.line = line;
	k->seq = jread_int(jread_get(k->rec, "seq"));
	j->nkept++;
	return 1;
nomem:
	jread_val_free(rec);
	return -ENOMEM;
}

/* Same report: run, case, nth, seq, kind, title, raw text; then in journal order. */
static int kept_cmp(const void *pa, const void *pb)
{
	const struct jread_kept *a = *(const struct jread_kept *const *)pa;
	const struct jread_kept *b = *(const struct jread_kept *const *)pb;
	int d = strcmp(a->r.run, b->r.run);

	if (!d)
		d = strcmp(a->r.case_name, b->r.case_name);
	if (!d)
		d = a->r.nth < b->r.nth ? -1 : a->r.nth > b->r.nth;
	if (!d)
		d = a->seq < b->seq ? -1 : a->seq > b->seq;
	if (!d)
		d = strcmp(a->r.kind, b->r.kind);
	if (!d)
		d = strcmp(a->r.title, b->r.title);
	if (!d)
		d = strcmp(a->r.raw, b->r.raw);
	return d ? d : (a > b) - (a < b);
}

static bool same_report(const struct jread_kept *a, const struct jread_kept *b)
{
	return a->r.nth == b->r.nth && a->seq == b->seq && !strcmp(a->r.run, b->r.run) &&
	       !strcmp(a->r.case_name, b->r.case_name) && !strcmp(a->r.kind, b->r.kind) &&
	       !strcmp(a->r.title, b->r.title) && !strcmp(a->r.raw, b->r.raw);
}

static int dedup(struct jread_journal *j)
{
	struct jread_kept **p = malloc((j->nkept + 1) * sizeof(*p));
	size_t i, g, e, n;

	if (!p)
		return -ENOMEM;
	for (i = 0; i < j->nkept; i++)
		p[i] = &j->kept[i];
	qsort(p, j->nkept, sizeof(*p), kept_cmp);
	for (g = 0; g < j->nkept; g = e) {
		for (e = g + 1; e < j->nkept && same_report(p[g], p[e]); e++)
			;
		if (e - g == 1)
			continue;
		/* The first place, the last record read. */
		for (i = g; i < e - 1; i++) {
			jread_val_free(p[i]->rec);
			free(p[i]->rec);
		}
		*p[g] = *p[e - 1];
		for (i = g + 1; i < e; i++)
			p[i]->rec = NULL;
	}
	free(p);
	for (i = n = 0; i < j->nkept; i++)
		if (j->kept[i].rec)
			j->kept[n++] = j->kept[i];
	j->nkept = n;
	return 0;
}

static int step_cmp(const void *pa, const void *pb)
{
	const struct jread_step *a = *(const struct jread_step *const *)pa;
	const struct jread_step *b = *(const struct jread_step *const *)pb;
	int d = strcmp(a->case_name, b->case_name);

	return d ? d : (a->nth > b->nth) - (a->nth < b->nth);
}

static struct jread_step *find_step(struct jread_step **sorted, size_t n,
				    const struct jread_report *r)
{
	struct jread_step key = { .case_name = r->case_name, .nth = r->nth }, *kp = &key;
	struct jread_step **s;

	if (!*r->case_name || !r->nth)
		return NULL;
	s = bsearch(&kp, sorted, n, sizeof(*sorted), step_cmp);
	/* A re-run step of another run superseded the one this report was about. */
	if (s && *r->run && *(*s)->run && strcmp(r->run, (*s)->run))
		return NULL;
	return s ? *s : NULL;
}

/* Point each step at its first "site" record (where its fault hit), if any. */
static int link_sites(struct jread_journal *j)
{
	struct jread_step **sorted;
	size_t i;

	for (i = 0; i < j->nsteps; i++)
		j->steps[i].site = NULL;
	if (!j->nsites || !j->nsteps)
		return 0;
	sorted = malloc(j->nsteps * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	for (i = 0; i < j->nsteps; i++)
		sorted[i] = &j->steps[i];
	qsort(sorted, j->nsteps, sizeof(*sorted), step_cmp);
	for (i = 0; i < j->nsites; i++) {
		const struct jread_val *nth = jread_get(&j->sites[i], "nth");
		struct jread_report key = {
			.case_name = jread_str(jread_get(&j->sites[i], "case")),
			.run = jread_str(jread_get(&j->sites[i], "run")),
			.nth = nth ? (uint64_t)jread_int(nth) : 0,
		};
		struct jread_step *s = find_step(sorted, j->nsteps, &key);

		if (s && !s->site)
			s->site = &j->sites[i];
	}
	free(sorted);
	return 0;
}

int jread_report_link(struct jread_journal *j)
{
	struct jread_step **sorted = NULL, **to = NULL;
	size_t *cnt = NULL, i, norph = 0;
	int err = -ENOMEM;

	for (i = 0; i < j->nsteps; i++)
		j->steps[i].nreports = j->steps[i].nreports_own;
	j->norphans = 0;
	if (link_sites(j))
		return -ENOMEM;
	if (!j->nkept)
		return 0;
	if (dedup(j))
		return -ENOMEM;
	sorted = malloc((j->nsteps + 1) * sizeof(*sorted));
	to = malloc(j->nkept * sizeof(*to));
	cnt = calloc(j->nsteps + 1, sizeof(*cnt));
	if (!sorted || !to || !cnt)
		goto out;
	for (i = 0; i < j->nsteps; i++)
		sorted[i] = &j->steps[i];
	qsort(sorted, j->nsteps, sizeof(*sorted), step_cmp);
	for (i = 0; i < j->nkept; i++) {
		to[i] = find_step(sorted, j->nsteps, &j->kept[i].r);
		if (to[i])
			cnt[to[i] - j->steps]++;
		else
			norph++;
	}
	for (i = 0; i < j->nsteps; i++) {
		struct jread_step *s = &j->steps[i];
		struct jread_report *m;

		if (!cnt[i])
			continue;
		m = realloc(s->reports, (s->nreports_own + cnt[i]) * sizeof(*m));
		if (!m)
			goto out;
		s->reports = m;
	}
	if (norph) {
		struct jread_report *m = realloc(j->orphans, norph * sizeof(*m));

		if (!m)
			goto out;
		j->orphans = m;
	}
	for (i = 0; i < j->nkept; i++) {
		if (to[i])
			to[i]->reports[to[i]->nreports++] = j->kept[i].r;
		else
			j->orphans[j->norphans++] = j->kept[i].r;
	}
	err = 0;
out:
	free(sorted);
	free(to);
	free(cnt);
	return err;
}

void jread_report_free(struct jread_journal *j)
{
	size_t i;

	for (i = 0; i < j->nkept; i++) {
		jread_val_free(j->kept[i].rec);
		free(j->kept[i].rec);
	}
	free(j->kept);
	free(j->orphans);
	j->kept = NULL;
	j->orphans = NULL;
	j->nkept = j->kept_cap = j->norphans = 0;
}
