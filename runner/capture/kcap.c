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
#include "harness/harness.h"
#include "journal/records.h"
#include "runner/capture/kcap.h"
#include "runner/capture/kmods.h"

#define MAX_WORKERS 256
#define NAME_MAX_ 96

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
	struct sup_stats *st;
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

int kcap_marker(char *buf, size_t len, const char *case_name, unsigned nth, int pid)
{
	/* <14>: facility user, level info — never on a loglevel-4 console. */
	/* The newline finalizes the record: without it readers wait for a continuation. */
	return snprintf(buf, len, "<14>" KCAP_MARKER "%s %u %d\n", case_name, nth, pid);
}

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

static void note_step(struct kcap *k, const char *text)
{
	struct wstep s = { 0 };
	unsigned i;

	if (sscanf(text + strlen(KCAP_MARKER), "%95s %u %d", s.name, &s.nth, &s.pid) != 3)
		return;
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

static void note_end(struct kcap *k, const char *text)
{
	unsigned long long token;

	if (sscanf(text, "faultsweep: end %llu", &token) != 1)
		return;
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

void kcap_write_report(struct journal *j, const char *run_id, const char *case_name,
		       const char *area, unsigned nth, const char *how, const struct kreport *r,
		       const char *note)
{
	char guilty[KREPORT_SYM_MAX + KREPORT_MOD_MAX + 4];

	frame_str(&r->guilty, guilty, sizeof(guilty));
	jrec_report(j, &(struct jrec_report){
		.run = run_id, .case_name = case_name, .area = area, .nth = nth,
		.attribution = how, .kind = kreport_kind_str(r->kind), .title = r->title,
		.text = &(struct jrec_ktext){
			.guilty = guilty, .file = r->file, .line = r->line, .bug_type = r->bug_type,
			.pid = r->pid, .comm = r->comm, .seq = r->seq, .complete = r->complete,
			.panicked = r->panicked, .raw = r->raw ? r->raw : "", .note = note,
		},
	});
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
	sup_count_finding(k->st, kreport_kind_str(r->kind));
}

/* A worker saw a module loaded: journal where it lives, keep it for lookups. */
static void note_module(struct kcap *k, const char *text)
{
	struct kmods_mod m;

	if (!kmods_parse(text, &m))
		return;
	pthread_mutex_lock(&k->lock);
	if (kmods_lookup(&k->mods, m.base) && kmods_lookup(&k->mods, m.base)->text == m.text &&
	    !strcmp(kmods_lookup(&k->mods, m.base)->name, m.name)) {
		pthread_mutex_unlock(&k->lock);
		return;
	}
	kmods_add(&k->mods, &m);
	pthread_mutex_unlock(&k->lock);
	jrec_module(k->j, &(struct jrec_module){
		.run = k->run_id, .name = m.name, .base = m.base, .text = m.text, .size = m.size });
}

bool kcap_module_of(struct kcap *k, uint64_t addr, struct kmods_mod *out)
{
	const struct kmods_mod *m;

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

int kcap_site_record(struct journal *j, const char *run_id, const char *case_name,
		     unsigned nth, const char *attribution, const struct fidump *d)
{
	char area[32], frames[SITE_FRAMES][KREPORT_SYM_MAX + KREPORT_MOD_MAX + 4];
	const char *fp[SITE_FRAMES];
	uint64_t addrs[SITE_FRAMES];
	const struct fidump_frame *site = d->site >= 0 ? &d->frames[d->site] : NULL;
	bool any_addr = false;
	int i, n = 0;

	for (i = site ? d->site : 0; i < d->nframes && n < SITE_FRAMES; i++) {
		if (!d->frames[i].reliable)
			continue;
		if (*d->frames[i].module)
			snprintf(frames[n], sizeof(frames[n]), "%s [%s]", d->frames[i].sym,
				 d->frames[i].module);
		else
			snprintf(frames[n], sizeof(frames[n]), "%s", d->frames[i].sym);
		fp[n] = frames[n];
		addrs[n] = d->frames[i].addr;
		any_addr |= d->frames[i].addr != 0;
		n++;
	}
	area_of(case_name, area, sizeof(area));
	return jrec_site(j, &(struct jrec_site){
		.run = run_id, .case_name = case_name, .area = area, .nth = nth,
		.attribution = attribution, .fault = d->fault, .site = site ? site->sym : "",
		.module = site ? site->module : "", .frames = fp, .nframes = n,
		/* fail-nth-site's extras: raw addresses (when shown), size and gfp flags. */
		.addrs = any_addr ? addrs : NULL, .has_size = d->has_size, .size = d->size,
		.gfp = d->gfp, .pid = d->pid, .seq = d->seq, .complete = d->complete,
	});
}

/* Attribute one fault-injection dump and journal its "site" record. */
static void emit_site(struct kcap *k, const struct fidump *d)
{
	struct wstep at;
	const char *how;

	pthread_mutex_lock(&k->lock);
	how = attribute(k, d->pid, &at);
	k->sites++;
	pthread_mutex_unlock(&k->lock);
	kcap_site_record(k->j, k->run_id, at.name, at.nth, how, d);
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
	k->gaps++;
	jrec_kmsg_gap(k->j, k->run_id);
}

/* Read every record available now. Returns false when the capture must stop. */
static bool read_records(struct kcap *k)
{
	static __thread char raw[8192];
	struct kmsg_rec *rec = malloc(sizeof(*rec));

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
		if (!strncmp(rec->text, KCAP_MARKER, strlen(KCAP_MARKER)))
			note_step(k, rec->text);
		else if (!strncmp(rec->text, "faultsweep: end ", 16))
			note_end(k, rec->text);
		else if (!strncmp(rec->text, KMODS_MARKER, strlen(KMODS_MARKER)))
			note_module(k, rec->text);
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

struct kcap *kcap_start(struct journal *j, const char *run_id, struct sup_stats *st,
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
	char msg[160];
	unsigned n = 0;
	int len;

	pthread_mutex_lock(&k->lock);
	token = ++k->next_token;
	pthread_mutex_unlock(&k->lock);
	len = snprintf(msg, sizeof(msg), "<14>faultsweep: end %llu %s\n",
		       (unsigned long long)token, case_name);
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

int kcap_write_patch_site(struct journal *j, const char *run_id, const char *case_name,
			  unsigned nth, const char *text, size_t len, int pid)
{
	struct fidump *d = malloc(sizeof(*d));
	int err;

	if (!d)
		return -ENOMEM;
	if (fidump_parse_site(text, len, d)) {
		/* Fired, yet nothing recorded: journaled unresolved, not dropped. */
		memset(d, 0, sizeof(*d));
		d->site = -1;
	}
	d->pid = pid;
	err = kcap_site_record(j, run_id, case_name, nth, "patch", d);
	free(d);
	return err;
}
