/* The kernel-log capture thread: /dev/kmsg → kreport and fault-dump parsers → attributed "report" and "site" journal records. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "klog/fidump.h"
#include "klog/kreport.h"
#include "klog/marker.h"
#include "harness/harness.h"
#include "runner/capture/kcap.h"
#include "runner/capture/kmods.h"

#define MAX_WORKERS 256
#define NAME_MAX_ MARKER_CASE_MAX

struct wstep {
	int pid;
	char name[NAME_MAX_];
	unsigned nth;
};

struct ccount {
	char name[NAME_MAX_];
	unsigned n;
};

struct kcap {
	int fd, efd, wfd;
	pthread_t tid;
	struct kreport_parser *p;
	struct fidump_parser *dumps;
	struct journal *j;
	const char *run_id;
	struct fs_stats *st;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct wstep workers[MAX_WORKERS];
	unsigned nworkers;
	struct wstep last;          /* the most recent step marker of any worker */
	struct ccount *counts;
	size_t ncounts;
	unsigned total, gaps, sites;
	uint64_t seen[256];         /* end tokens read back, by token % 256 */
	uint64_t next_token;
	struct kmods_seen mods;     /* modules the workers saw loaded */
};

static struct ccount *count_for(struct kcap *k, const char *name)
{
	struct ccount *c;
	size_t i;

	for (i = 0; i < k->ncounts; i++)
		if (!strcmp(k->counts[i].name, name))
			return &k->counts[i];
	c = realloc(k->counts, (k->ncounts + 1) * sizeof(*c));
	if (!c)
		return NULL;
	k->counts = c;
	c = &k->counts[k->ncounts++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->n = 0;
	return c;
}

static void note_step(struct kcap *k, const struct marker *mk)
{
	struct wstep s = { .pid = mk->pid, .nth = mk->nth };
	unsigned i;

	snprintf(s.name, sizeof(s.name), "%s", mk->case_name);
	pthread_mutex_lock(&k->lock);
	k->last = s;
	for (i = 0; i < k->nworkers && k->workers[i].pid != s.pid; i++)
		;
	if (i == k->nworkers) {
		/* Full: reuse the oldest slot; pids of finished workers age out. */
		if (k->nworkers < MAX_WORKERS)
			k->nworkers++;
		else
			i = s.pid % MAX_WORKERS;
	}
	k->workers[i] = s;
	pthread_mutex_unlock(&k->lock);
}

static void note_end(struct kcap *k, uint64_t token)
{
	pthread_mutex_lock(&k->lock);
	k->seen[token % 256] = token;
	pthread_cond_broadcast(&k->cond);
	pthread_mutex_unlock(&k->lock);
}

static void frame_str(const struct kreport_frame *f, char *buf, size_t len)
{
	if (*f->module)
		snprintf(buf, len, "%s [%s]", f->func, f->module);
	else
		snprintf(buf, len, "%s", f->func);
}

/* jb_begin() and the fields every record of a step starts with. */
static void rec_head(struct jb *b, const char *type, const char *run_id, const char *case_name,
		     const char *area, unsigned nth, const char *attribution)
{
	jb_begin(b);
	jb_str(b, "type", type);
	jb_str(b, "run", run_id);
	jb_str(b, "case", case_name);
	jb_str(b, "area", area);
	jb_uint(b, "nth", nth);
	jb_str(b, "attribution", attribution);
}

void kcap_write_report(struct journal *j, const char *run_id, const char *case_name,
		       const char *area, unsigned nth, const char *how, struct kreport *r,
		       const char *note)
{
	char frame[KREPORT_SYM_MAX + KREPORT_MOD_MAX + 4], *raw = NULL;
	struct jb *b = malloc(sizeof(*b));

	if (!b)
		return;
	rec_head(b, "report", run_id, case_name, area, nth, how);
	jb_str(b, "kind", kreport_kind_str(r->kind));
	jb_str(b, "title", r->title);
	frame_str(&r->guilty, frame, sizeof(frame));
	jb_str(b, "guilty", frame);
	if (*r->file) {
		jb_str(b, "file", r->file);
		jb_int(b, "line", r->line);
	}
	if (*r->bug_type)
		jb_str(b, "bug_type", r->bug_type);
	jb_int(b, "pid", r->pid);
	jb_str(b, "comm", r->comm);
	jb_uint(b, "seq", r->seq);
	jb_bool(b, "complete", r->complete);
	jb_bool(b, "panicked", r->panicked);
	/* Keep the record bounded: the raw text is capped, the head kept. */
	if (r->raw && r->raw_len > JOURNAL_REPORT_RAW_MAX)
		r->raw[JOURNAL_REPORT_RAW_MAX] = 0;
	if (note && *note && asprintf(&raw, "%s%s", r->raw ? r->raw : "", note) < 0)
		raw = NULL;
	jb_str(b, "raw", raw ? raw : r->raw ? r->raw : "");
	free(raw);
	journal_write(j, jb_end(b));
	free(b);
}

/* The step that printed as @pid: its worker's current step, else the latest step. Locked. */
static const char *attribute(struct kcap *k, int pid, struct wstep *at)
{
	unsigned i;

	memset(at, 0, sizeof(*at));
	for (i = 0; pid > 0 && i < k->nworkers; i++) {
		if (k->workers[i].pid == pid) {
			*at = k->workers[i];
			return "pid";
		}
	}
	if (*k->last.name) {
		*at = k->last;
		return "time";
	}
	return "none";
}

/*
 * The area of @name: its harness's, else the part before the first '.' —
 * exec and module cases are named "AREA.…" (docs/cli.md) and have no harness.
 */
static void area_of(const char *name, char *buf, size_t len)
{
	const struct fs_harness *h = *name ? fs_harness_find(name) : NULL;
	const char *dot = strchr(name, '.');

	if (h)
		snprintf(buf, len, "%s", h->area);
	else if (dot)
		snprintf(buf, len, "%.*s", (int)(dot - name), name);
	else
		*buf = 0;
}

/* Attribute one finished report and journal it. */
static void emit(struct kcap *k, struct kreport *r)
{
	char area[32];
	struct wstep at;
	const char *how;
	struct ccount *cc;

	pthread_mutex_lock(&k->lock);
	how = attribute(k, r->pid, &at);
	k->total++;
	cc = *at.name ? count_for(k, at.name) : NULL;
	if (cc)
		cc->n++;
	pthread_mutex_unlock(&k->lock);
	area_of(at.name, area, sizeof(area));

	kcap_write_report(k->j, k->run_id, at.name, area, at.nth, how, r, NULL);
	stats_finding(k->st, kreport_kind_str(r->kind));
}

/* A worker saw a module loaded: journal where it lives, keep it for lookups. */
static void note_module(struct kcap *k, const struct marker_module *mod)
{
	struct marker_module m = *mod;
	char hex[24];
	struct jb b;

	pthread_mutex_lock(&k->lock);
	if (kmods_lookup(&k->mods, m.base) && kmods_lookup(&k->mods, m.base)->text == m.text &&
	    !strcmp(kmods_lookup(&k->mods, m.base)->name, m.name)) {
		pthread_mutex_unlock(&k->lock);
		return;
	}
	kmods_add(&k->mods, &m);
	pthread_mutex_unlock(&k->lock);
	jb_begin(&b);
	jb_str(&b, "type", "module");
	jb_str(&b, "run", k->run_id);
	jb_str(&b, "name", m.name);
	snprintf(hex, sizeof(hex), "0x%" PRIx64, m.base);
	jb_str(&b, "base", hex);
	snprintf(hex, sizeof(hex), "0x%" PRIx64, m.text);
	jb_str(&b, "text", hex);
	jb_uint(&b, "size", m.size);
	journal_write(k->j, jb_end(&b));
}

bool kcap_module_of(struct kcap *k, uint64_t addr, struct marker_module *out)
{
	const struct marker_module *m;

	if (!k)
		return false;
	pthread_mutex_lock(&k->lock);
	m = kmods_lookup(&k->mods, addr);
	if (m)
		*out = *m;
	pthread_mutex_unlock(&k->lock);
	return m != NULL;
}

/* The frames journaled with a site: the site and its callers (or, unresolved, the top). */
#define SITE_FRAMES 8

void kcap_site_record(struct jb *b, const char *run_id, const char *case_name, unsigned nth,
		      const char *attribution, const struct fidump *d)
{
	char area[32], frames[SITE_FRAMES * (KREPORT_SYM_MAX + KREPORT_MOD_MAX + 8) + 4];
	char addrs[SITE_FRAMES * 24 + 4];
	const struct fidump_frame *site = d->site >= 0 ? &d->frames[d->site] : NULL;
	size_t len = 0, alen = 0;
	bool any_addr = false;
	int i, n = 0;

	frames[len++] = '[';
	addrs[alen++] = '[';
	for (i = site ? d->site : 0; i < d->nframes && n < SITE_FRAMES; i++) {
		char one[KREPORT_SYM_MAX + KREPORT_MOD_MAX + 4];

		if (!d->frames[i].reliable)
			continue;
		if (*d->frames[i].module)
			snprintf(one, sizeof(one), "%s [%s]", d->frames[i].sym, d->frames[i].module);
		else
			snprintf(one, sizeof(one), "%s", d->frames[i].sym);
		if (n++) {
			frames[len++] = ',';
			addrs[alen++] = ',';
		}
		len += json_escape(frames + len, sizeof(frames) - len - 2, one);
		alen += (size_t)snprintf(addrs + alen, sizeof(addrs) - alen - 2, "\"0x%llx\"",
					 (unsigned long long)d->frames[i].addr);
		any_addr |= d->frames[i].addr != 0;
	}
	frames[len++] = ']';
	frames[len] = 0;
	addrs[alen++] = ']';
	addrs[alen] = 0;
	area_of(case_name, area, sizeof(area));

	rec_head(b, "site", run_id, case_name, area, nth, attribution);
	jb_str(b, "fault", d->fault);
	jb_str(b, "site", site ? site->sym : "");
	jb_str(b, "module", site ? site->module : "");
	jb_raw(b, "frames", frames);
	/* fail-nth-site's extras: raw addresses (when shown), size and gfp flags. */
	if (any_addr)
		jb_raw(b, "addrs", addrs);
	if (d->has_size)
		jb_int(b, "size", d->size);
	if (*d->gfp)
		jb_str(b, "gfp", d->gfp);
	jb_int(b, "pid", d->pid);
	if (d->seq)
		jb_uint(b, "seq", d->seq);
	jb_bool(b, "complete", d->complete);
}

/* Attribute one fault-injection dump and journal its "site" record. */
static void emit_site(struct kcap *k, const struct fidump *d)
{
	struct wstep at;
	const char *how;
	struct jb *b;

	pthread_mutex_lock(&k->lock);
	how = attribute(k, d->pid, &at);
	k->sites++;
	pthread_mutex_unlock(&k->lock);

	b = malloc(sizeof(*b));
	if (!b)
		return;
	kcap_site_record(b, k->run_id, at.name, at.nth, how, d);
	journal_write(k->j, jb_end(b));
	free(b);
}

static void drain_sites(struct kcap *k)
{
	struct fidump *d;

	while ((d = fidump_next(k->dumps))) {
		emit_site(k, d);
		free(d);
	}
}

static void drain_reports(struct kcap *k)
{
	struct kreport *r;

	while ((r = kreport_next(k->p))) {
		emit(k, r);
		kreport_free(r);
	}
}

static void gap(struct kcap *k)
{
	struct jb b;

	k->gaps++;
	jb_begin(&b);
	jb_str(&b, "type", "kmsg-gap");
	jb_str(&b, "run", k->run_id);
	jb_str(&b, "note", "the kernel log ring overran: records were lost before they were read");
	journal_write(k->j, jb_end(&b));
}

/* Read every record available now. Returns false when the capture must stop. */
static bool read_records(struct kcap *k)
{
	static __thread char raw[8192];
	struct kmsg_rec *rec = malloc(sizeof(*rec));
	struct marker mk;

	if (!rec)
		return false;
	for (;;) {
		ssize_t n = read(k->fd, raw, sizeof(raw) - 1);

		if (n < 0 && errno == EPIPE) {
			gap(k);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (kmsg_parse_record(raw, n, rec))
			continue;
		/*
		 * The parsers first: a marker ends the report (or dump) its task
		 * printed in the step before, which must be attributed with the
		 * step map as it was, before the marker moves that task to N+1
		 * (seen: every KASAN double-free of the planted module on N+1).
		 */
		if (kreport_feed_kmsg(k->p, rec) > 0)
			drain_reports(k);
		if (fidump_feed_kmsg(k->dumps, rec) > 0)
			drain_sites(k);
		switch (marker_parse(rec->text, &mk)) {
		case MARKER_STEP: note_step(k, &mk); break;
		case MARKER_END: note_end(k, mk.token); break;
		case MARKER_MODULE: note_module(k, &mk.mod); break;
		default: break;
		}
	}
	free(rec);
	return true;
}

static void *thread_main(void *arg)
{
	struct kcap *k = arg;

	for (;;) {
		struct pollfd pfd[2] = { { k->fd, POLLIN, 0 }, { k->efd, POLLIN, 0 } };

		poll(pfd, 2, 1000);
		read_records(k);
		if (pfd[1].revents & POLLIN)
			break;
	}
	read_records(k);
	if (kreport_flush(k->p) > 0)
		drain_reports(k);
	if (fidump_flush(k->dumps) > 0)
		drain_sites(k);
	return NULL;
}

struct kcap *kcap_start(struct journal *j, const char *run_id, struct fs_stats *st,
			char *why, size_t len)
{
	struct kcap *k = calloc(1, sizeof(*k));

	if (!k) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	k->wfd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	k->efd = eventfd(0, EFD_CLOEXEC);
	k->p = kreport_new();
	k->dumps = fidump_new();
	if (k->fd < 0 || k->wfd < 0 || k->efd < 0 || !k->p || !k->dumps) {
		snprintf(why, len, "cannot read /dev/kmsg: %s", strerror(errno));
		goto fail;
	}
	/* From the start of the run: what the kernel printed before is not ours. */
	lseek(k->fd, 0, SEEK_END);
	k->j = j;
	k->run_id = run_id;
	k->st = st;
	pthread_mutex_init(&k->lock, NULL);
	pthread_cond_init(&k->cond, NULL);
	if (pthread_create(&k->tid, NULL, thread_main, k)) {
		snprintf(why, len, "cannot start the capture thread");
		goto fail;
	}
	return k;
fail:
	if (k->fd >= 0)
		close(k->fd);
	if (k->wfd >= 0)
		close(k->wfd);
	if (k->efd >= 0)
		close(k->efd);
	kreport_destroy(k->p);
	fidump_destroy(k->dumps);
	free(k);
	return NULL;
}

unsigned kcap_case_done(struct kcap *k, const char *case_name)
{
	struct timespec until;
	struct ccount *cc;
	uint64_t token;
	char msg[MARKER_LINE_MAX];
	unsigned n = 0;
	int len;

	pthread_mutex_lock(&k->lock);
	token = ++k->next_token;
	pthread_mutex_unlock(&k->lock);
	len = marker_end(msg, sizeof(msg), token, case_name);
	if (write(k->wfd, msg, len) != len)
		return 0;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&k->lock);
	while (k->seen[token % 256] != token)
		if (pthread_cond_timedwait(&k->cond, &k->lock, &until))
			break;
	cc = count_for(k, case_name);
	if (cc)
		n = cc->n;
	pthread_mutex_unlock(&k->lock);
	return n;
}

void kcap_case_of_pid(struct kcap *k, int pid, char *name, size_t len, unsigned *nth)
{
	unsigned i;

	*name = 0;
	*nth = 0;
	if (!k || pid <= 0)
		return;
	pthread_mutex_lock(&k->lock);
	for (i = 0; i < k->nworkers; i++) {
		if (k->workers[i].pid == pid) {
			snprintf(name, len, "%s", k->workers[i].name);
			*nth = k->workers[i].nth;
			break;
		}
	}
	pthread_mutex_unlock(&k->lock);
}

unsigned kcap_reports(struct kcap *k)
{
	unsigned n;

	pthread_mutex_lock(&k->lock);
	n = k->total;
	pthread_mutex_unlock(&k->lock);
	return n;
}

unsigned kcap_sites(struct kcap *k)
{
	unsigned n;

	pthread_mutex_lock(&k->lock);
	n = k->sites;
	pthread_mutex_unlock(&k->lock);
	return n;
}

void kcap_stop(struct kcap *k)
{
	uint64_t one = 1;

	if (!k)
		return;
	if (write(k->efd, &one, sizeof(one)) != sizeof(one))
		pthread_cancel(k->tid);
	pthread_join(k->tid, NULL);
	close(k->fd);
	close(k->wfd);
	close(k->efd);
	kreport_destroy(k->p);
	fidump_destroy(k->dumps);
	free(k->counts);
	pthread_mutex_destroy(&k->lock);
	pthread_cond_destroy(&k->cond);
	free(k);
}

char *kcap_patch_site_json(const char *run_id, const char *case_name, unsigned nth,
			   const char *text, size_t len, int pid)
{
	struct {
		struct fidump d;
		struct jb b;
	} *m = malloc(sizeof(*m));
	char *json;

	if (!m)
		return NULL;
	if (fidump_parse_site(text, len, &m->d)) {
		/* Fired, yet nothing recorded: journaled unresolved, not dropped. */
		memset(&m->d, 0, sizeof(m->d));
		m->d.site = -1;
	}
	m->d.pid = pid;
	kcap_site_record(&m->b, run_id, case_name, nth, "patch", &m->d);
	json = strdup(jb_end(&m->b));
	free(m);
	return json;
}
