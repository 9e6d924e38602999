/* Reads JSON-lines journals back into typed records, skipping cut or garbled lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal/jread_int.h"

/* Steps are keyed by (case, nth), cases by case, runs by run id. */
enum { K_STEP, K_CASE, K_RUN };

struct slot {
	uint64_t hash;
	size_t idx;
	int kind;
	bool used;
};

struct jread_index {
	struct slot *slots;
	size_t cap, used;
};

static uint64_t hash_key(int kind, const char *name, uint64_t nth)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)kind;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	h = (h ^ nth) * 1099511628211ull;
	return h ^ h >> 29;
}

static bool same(const struct jread_journal *j, const struct slot *s, int kind,
		 const char *name, uint64_t nth)
{
	if (s->kind != kind)
		return false;
	switch (kind) {
	case K_STEP:
		return j->steps[s->idx].nth == nth && !strcmp(j->steps[s->idx].case_name, name);
	case K_CASE:
		return !strcmp(j->cases[s->idx].case_name, name);
	default:
		return !strcmp(j->runs[s->idx].run, name);
	}
}

/* The slot holding (kind, name, nth), or the empty slot where it would go. */
static struct slot *lookup(struct jread_journal *j, int kind, const char *name, uint64_t nth)
{
	struct jread_index *x = j->idx;
	uint64_t h = hash_key(kind, name, nth);
	size_t i;

	for (i = h & (x->cap - 1); x->slots[i].used; i = (i + 1) & (x->cap - 1))
		if (x->slots[i].hash == h && same(j, &x->slots[i], kind, name, nth))
			return &x->slots[i];
	x->slots[i].hash = h;
	x->slots[i].kind = kind;
	return &x->slots[i];
}

static int index_grow(struct jread_journal *j)
{
	struct jread_index *x = j->idx;
	struct slot *old;
	size_t i, oldcap;

	if (!x) {
		x = j->idx = calloc(1, sizeof(*x));
		if (!x)
			return -ENOMEM;
	}
	if (x->cap && (x->used + 1) * 2 <= x->cap)
		return 0;
	old = x->slots;
	oldcap = x->cap;
	x->cap = oldcap ? oldcap * 2 : 256;
	x->slots = calloc(x->cap, sizeof(*x->slots));
	if (!x->slots) {
		x->slots = old;
		x->cap = oldcap;
		return -ENOMEM;
	}
	for (i = 0; i < oldcap; i++) {
		size_t k;

		if (!old[i].used)
			continue;
		for (k = old[i].hash & (x->cap - 1); x->slots[k].used; k = (k + 1) & (x->cap - 1))
			;
		x->slots[k] = old[i];
	}
	free(old);
	return 0;
}

#define I(o, k) jread_int(jread_get(o, k))
#define B(o, k) jread_bool(jread_get(o, k))
#define S(o, k) jread_str(jread_get(o, k))

static void step_free(struct jread_step *s)
{
	free(s->findings);
	free(s->reports);
	jread_val_free(&s->rec);
}

static int step_fill(struct jread_step *s)
{
	const struct jread_val *o = &s->rec, *a, *it;
	size_t i;

	s->run = S(o, "run");
	s->case_name = S(o, "case");
	s->area = S(o, "area");
	s->verdict = S(o, "verdict");
	s->errno_name = S(o, "errno_name");
	s->reason = S(o, "reason");
	s->retry_errno_name = S(o, "retry_errno_name");
	s->console = S(o, "console");
	s->has_ret = jread_get(o, "ret") || jread_get(o, "errno") || *s->errno_name;
	s->ret = I(o, "ret");
	s->err = I(o, "errno");
	s->retried = jread_get(o, "retry_ret") != NULL;
	s->retry_ret = I(o, "retry_ret");
	s->pid = I(o, "pid");
	s->ts = I(o, "ts");
	s->t_ms = jread_num(jread_get(o, "t_ms"));
	s->fired = B(o, "fired");
	s->swallowed = B(o, "swallowed");
	s->fd_leak = B(o, "fd_leak");
	s->nondeterministic = B(o, "nondeterministic");

	a = jread_get(o, "findings");
	if (a && a->type == JREAD_ARR && a->n) {
		s->findings = calloc(a->n, sizeof(*s->findings));
		if (!s->findings)
			return -ENOMEM;
		for (i = 0; i < a->n; i++) {
			it = &a->items[i];
			if (it->type != JREAD_OBJ)
				continue;
			s->findings[s->nfindings].kind = S(it, "kind");
			s->findings[s->nfindings++].title = S(it, "title");
		}
	}
	a = jread_get(o, "reports");
	if (a && a->type == JREAD_ARR && a->n) {
		s->reports = calloc(a->n, sizeof(*s->reports));
		if (!s->reports)
			return -ENOMEM;
		for (i = 0; i < a->n; i++) {
			struct jread_report *r = &s->reports[s->nreports];

			it = &a->items[i];
			if (it->type != JREAD_OBJ)
				continue;
			jread_report_fill(r, it);
			r->run = s->run;
			r->case_name = s->case_name;
			r->area = s->area;
			r->nth = s->nth;
			r->file = s->file;
			r->line = s->line;
			s->nreports++;
		}
		s->nreports_own = s->nreports;
	}
	return 0;
}

static void case_fill(struct jread_case *c)
{
	const struct jread_val *o = &c->rec;

	c->run = S(o, "run");
	c->case_name = S(o, "case");
	c->area = S(o, "area");
	c->verdict = S(o, "verdict");
	c->reason = S(o, "reason");
	c->points = I(o, "points") > 0 ? I(o, "points") : 0;
	c->steps = I(o, "steps") > 0 ? I(o, "steps") : 0;
	c->kernel_reports = I(o, "kernel_reports") > 0 ? I(o, "kernel_reports") : 0;
	c->ts = I(o, "ts");
	c->nondeterministic = B(o, "nondeterministic");
}

static void run_fill(struct jread_run *r)
{
	const struct jread_val *o = &r->rec;

	r->run = S(o, "run");
	r->version = S(o, "version");
	r->kernel = S(o, "kernel");
	r->faults = S(o, "faults");
	r->jobs = I(o, "jobs") > 0 ? I(o, "jobs") : 0;
	r->cases = I(o, "cases") > 0 ? I(o, "cases") : 0;
	r->ts = I(o, "ts");
	r->resume = B(o, "resume");
}

const struct jread_val *jread_modcase(const struct jread_journal *j, const char *name)
{
	size_t i = j->nmodcases;

	while (i--)
		if (!strcmp(S(&j->modcases[i], "case"), name))
			return &j->modcases[i];
	return NULL;
}

/* Room for item @n in the array whose pointer is at @arrp (any pointer type, hence memcpy). */
static int grow(void *arrp, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *old, *m;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	memcpy(&old, arrp, sizeof(old));
	m = realloc(old, ncap * size);
	if (!m)
		return -ENOMEM;
	memcpy(arrp, &m, sizeof(m));
	*cap = ncap;
	return 0;
}

/*
 * Take one parsed record (ownership of @rec passes here). Returns 1 when
 * taken, 0 when of a type reports do not use, -EINVAL when unusable.
 */
/* A "note" record (kmemleak off, no kernel-log capture): kept once per text. */
static int take_note(struct jread_journal *j, struct jread_val *rec)
{
	const char *text = S(rec, "text");
	char **n;
	size_t i;
	int err = 1;

	for (i = 0; i < j->nnotes && *text; i++)
		if (!strcmp(j->notes[i], text))
			goto out;
	if (!*text)
		goto out;
	n = realloc(j->notes, (j->nnotes + 1) * sizeof(*n));
	if (!n || !(n[j->nnotes] = strdup(text))) {
		if (n)
			j->notes = n;
		err = -ENOMEM;
		goto out;
	}
	j->notes = n;
	j->nnotes++;
out:
	jread_val_free(rec);
	return err;
}

static int take(struct jread_journal *j, struct jread_val *rec, const char *file,
		unsigned long line)
{
	const char *type = S(rec, "type");
	const struct jread_val *nth = jread_get(rec, "nth");
	struct slot *sl;
	int err;

	if (!strcmp(type, "report"))
		return jread_report_take(j, rec, file, line);
	if (!strcmp(type, "site")) {
		err = grow(&j->sites, &j->sites_cap, j->nsites, sizeof(*rec));
		if (err) {
			jread_val_free(rec);
			return err;
		}
		j->sites[j->nsites++] = *rec;
		return 1;
	}
	if (!strcmp(type, "modcase")) {
		err = grow(&j->modcases, &j->modcases_cap, j->nmodcases, sizeof(*rec));
		if (err) {
			jread_val_free(rec);
			return err;
		}
		j->modcases[j->nmodcases++] = *rec;
		return 1;
	}
	if (!strcmp(type, "kmsg-gap")) {
		j->kmsg_gaps++;
		jread_val_free(rec);
		return 1;
	}
	if (!strcmp(type, "note"))
		return take_note(j, rec);
	if (strcmp(type, "step") && strcmp(type, "case") && strcmp(type, "run")) {
		/* A later version's type is not ours to judge; none, or an overflow, is a loss. */
		err = *type && strcmp(type, "overflow") ? 0 : -EINVAL;
		jread_val_free(rec);
		return err;
	}
	err = index_grow(j);
	if (err)
		goto out;
	err = -EINVAL;
	if (!strcmp(type, "step")) {
		struct jread_step s = { .rec = *rec, .file = file, .line = line };

		if (!*S(rec, "case") || !nth || nth->type != JREAD_NUM || !nth->is_int ||
		    nth->i < 0)
			goto out;
		s.nth = nth->i;
		err = step_fill(&s);
		if (!err)
			err = grow(&j->steps, &j->steps_cap, j->nsteps, sizeof(s));
		if (err) {
			step_free(&s);
			return err;
		}
		sl = lookup(j, K_STEP, s.case_name, s.nth);
		if (sl->used) {
			step_free(&j->steps[sl->idx]);
			j->steps[sl->idx] = s;
		} else {
			sl->used = true;
			sl->idx = j->nsteps;
			j->idx->used++;
			j->steps[j->nsteps++] = s;
		}
	} else if (!strcmp(type, "case")) {
		struct jread_case c = { .rec = *rec, .file = file, .line = line };

		if (!*S(rec, "case"))
			goto out;
		err = grow(&j->cases, &j->cases_cap, j->ncases, sizeof(c));
		if (err)
			goto out;
		case_fill(&c);
		sl = lookup(j, K_CASE, c.case_name, 0);
		if (sl->used) {
			jread_val_free(&j->cases[sl->idx].rec);
			j->cases[sl->idx] = c;
		} else {
			sl->used = true;
			sl->idx = j->ncases;
			j->idx->used++;
			j->cases[j->ncases++] = c;
		}
	} else {
		struct jread_run r = { .rec = *rec, .file = file, .line = line };

		err = grow(&j->runs, &j->runs_cap, j->nruns, sizeof(r));
		if (err)
			goto out;
		run_fill(&r);
		/* A run without an id cannot be matched: keep it as it is. */
		sl = *r.run ? lookup(j, K_RUN, r.run, 0) : NULL;
		if (sl && sl->used) {
			jread_val_free(&j->runs[sl->idx].rec);
			j->runs[sl->idx] = r;
		} else {
			if (sl) {
				sl->used = true;
				sl->idx = j->nruns;
				j->idx->used++;
			}
			j->runs[j->nruns++] = r;
		}
	}
	return 1;
out:
	jread_val_free(rec);
	return err;
}

static void warn(struct jread_journal *j, const char *name, unsigned long line, const char *what)
{
	j->lines_skipped++;
	if (!j->quiet)
		fprintf(stderr, "faultsweep: %s:%lu: %s\n", name, line, what);
}

int jread_load_mem(struct jread_journal *j, const char *name, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *file;
	unsigned long line = 0;
	char **files;
	int taken = 0, err;

	files = realloc(j->files, (j->nfiles + 1) * sizeof(*files));
	if (!files)
		return -ENOMEM;
	j->files = files;
	file = files[j->nfiles] = strdup(name);
	if (!file)
		return -ENOMEM;
	j->nfiles++;
	/* A byte-order mark from an editor is not a garbled first line. */
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p), *q;
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct jread_val rec;

		line++;
		for (q = p; q < p + l && (*q == ' ' || *q == '\t' || *q == '\r'); q++)
			;
		if (q == p + l)
			goto next;
		err = jread_parse(p, l, &rec);
		if (err == -ENOMEM)
			return err;
		if (err) {
			warn(j, file, line, nl && nl + 1 < end ? "garbled record skipped" :
			     "cut record skipped (the last line, a crash during the write?)");
			goto next;
		}
		if (rec.type != JREAD_OBJ) {
			jread_val_free(&rec);
			warn(j, file, line, "garbled record skipped (not an object)");
			goto next;
		}
		err = take(j, &rec, file, line);
		if (err == -ENOMEM)
			return err;
		if (err < 0)
			warn(j, file, line, "unusable record skipped (no type, case or nth, "
			     "or an overflow marker)");
		taken += err > 0;
next:
		p += l + (nl != NULL);
	}
	err = jread_report_link(j);
	return err ? err : taken;
}

int jread_load(struct jread_journal *j, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	size_t len = 0, cap = 0;
	char *buf = NULL;
	ssize_t n;

	if (fd < 0)
		return -errno;
	for (;;) {
		if (len == cap) {
			char *m;

			cap = cap ? cap * 2 : 1 << 16;
			m = realloc(buf, cap);
			if (!m) {
				err = -ENOMEM;
				goto out;
			}
			buf = m;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			goto out;
		}
		if (!n)
			break;
		len += n;
	}
	err = jread_load_mem(j, path, buf ? buf : "", len);
out:
	free(buf);
	close(fd);
	return err;
}

void jread_free(struct jread_journal *j)
{
	size_t i;

	for (i = 0; i < j->nsteps; i++)
		step_free(&j->steps[i]);
	for (i = 0; i < j->ncases; i++)
		jread_val_free(&j->cases[i].rec);
	for (i = 0; i < j->nruns; i++)
		jread_val_free(&j->runs[i].rec);
	for (i = 0; i < j->nsites; i++)
		jread_val_free(&j->sites[i]);
	free(j->sites);
	for (i = 0; i < j->nmodcases; i++)
		jread_val_free(&j->modcases[i]);
	free(j->modcases);
	jread_report_free(j);
	for (i = 0; i < j->nfiles; i++)
		free(j->files[i]);
	for (i = 0; i < j->nnotes; i++)
		free(j->notes[i]);
	free(j->notes);
	for (i = 0; i < j->nowned; i++)
		free(j->owned[i]);
	free(j->owned);
	if (j->idx)
		free(j->idx->slots);
	free(j->idx);
	free(j->steps);
	free(j->cases);
	free(j->runs);
	free(j->files);
	memset(j, 0, sizeof(*j));
}
