/*
 * The kernel-log capture thread: /dev/kmsg records → the attribution
 * (attrib.c) → "report", "site", "module" and "kmsg-gap" journal records,
 * the counts per case, and the end tokens kcap_case_done() waits for.
 */
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
#include "journal/records.h"
#include "runner/capture/attrib.h"
#include "runner/capture/kcap.h"

/* Kernel reports attributed to one case so far. */
struct ccount {
	char name[MARKER_CASE_MAX];
	unsigned n;
};

struct kcap {
	int fd, efd, wfd;
	pthread_t tid;
	struct journal *j;
	const char *run_id;
	struct fs_stats *st;
	/* @lock guards what other threads read: the attribution's step map, the counts, the tokens. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct attrib *at;
	struct ccount *counts;
	size_t ncounts;
	unsigned total, gaps, sites;
	uint64_t seen[256];         /* end tokens read back, by token % 256 */
	uint64_t next_token;
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

/* Journal one attributed report. */
static void write_report(struct kcap *k, const struct attrib_at *at, struct kreport *r)
{
	char area[32];

	area_of(at->case_name, area, sizeof(area));
	kcap_write_report(k->j, k->run_id, at->case_name, area, at->nth, at->how, r, NULL);
	stats_finding(k->st, kreport_kind_str(r->kind));
}

/* A worker saw a module loaded: journal where it lives. */
static void write_module(struct kcap *k, const struct marker_module *mod)
{
	jrec_module(k->j, &(struct jrec_module){
		.run = k->run_id, .name = mod->name, .base = mod->base, .text = mod->text,
		.size = mod->size });
}

bool kcap_module_of(struct kcap *k, uint64_t addr, struct marker_module *out)
{
	const struct marker_module *m;

	if (!k)
		return false;
	pthread_mutex_lock(&k->lock);
	m = attrib_module_of(k->at, addr);
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

/* Journal one attributed fault-injection dump as a "site" record. */
static void write_site(struct kcap *k, const struct attrib_at *at, const struct fidump *d)
{
	kcap_site_record(k->j, k->run_id, at->case_name, at->nth, at->how, d);
}

static void write_gap(struct kcap *k)
{
	jrec_kmsg_gap(k->j, k->run_id);
}

/*
 * Take one event of the attribution and do what it says: count it (under
 * the lock, before it is journaled, so a case's count is never behind its
 * records), journal it, or wake kcap_case_done() for an end token. False
 * when none is left.
 */
static bool handle_event(struct kcap *k)
{
	struct attrib_event ev;
	struct ccount *cc;
	bool got;

	pthread_mutex_lock(&k->lock);
	got = attrib_next(k->at, &ev);
	if (got && ev.kind == ATTRIB_REPORT) {
		k->total++;
		cc = *ev.at.case_name ? count_for(k, ev.at.case_name) : NULL;
		if (cc)
			cc->n++;
	}
	k->sites += got && ev.kind == ATTRIB_SITE;
	k->gaps += got && ev.kind == ATTRIB_GAP;
	if (got && ev.kind == ATTRIB_END) {
		k->seen[ev.token % 256] = ev.token;
		pthread_cond_broadcast(&k->cond);
	}
	pthread_mutex_unlock(&k->lock);
	if (!got)
		return false;
	switch (ev.kind) {
	case ATTRIB_REPORT:
		write_report(k, &ev.at, ev.report);
		kreport_free(ev.report);
		break;
	case ATTRIB_SITE:
		write_site(k, &ev.at, ev.dump);
		free(ev.dump);
		break;
	case ATTRIB_MODULE:
		write_module(k, &ev.mod);
		break;
	case ATTRIB_GAP:
		write_gap(k);
		break;
	case ATTRIB_END:
		break;
	}
	return true;
}

enum what { RECORD, GAP, END_OF_LOG };

/*
 * Hand the attribution a record @rec, a gap or the end of the log, under the
 * lock (other threads read its step map), then act on the events it gave.
 */
static void attribute(struct kcap *k, enum what what, const struct kmsg_rec *rec)
{
	pthread_mutex_lock(&k->lock);
	switch (what) {
	case RECORD: attrib_feed(k->at, rec); break;
	case GAP: attrib_gap(k->at); break;
	case END_OF_LOG: attrib_flush(k->at); break;
	}
	pthread_mutex_unlock(&k->lock);
	while (handle_event(k))
		;
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
			attribute(k, GAP, NULL);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (!kmsg_parse_record(raw, n, rec))
			attribute(k, RECORD, rec);
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
	attribute(k, END_OF_LOG, NULL);
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
	k->at = attrib_new();
	if (k->fd < 0 || k->wfd < 0 || k->efd < 0 || !k->at) {
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
	attrib_destroy(k->at);
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

void kcap_leak_at(struct kcap *k, const struct kreport *r, struct attrib_at *at)
{
	if (!k) {
		*at = (struct attrib_at){ .how = "none" };
		return;
	}
	pthread_mutex_lock(&k->lock);
	attrib_leak(k->at, r, at);
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
	attrib_destroy(k->at);
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
