/* Attribution of kernel reports, fault dumps and module loads to steps, from the markers in the kernel log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/capture/attrib.h"
#include "runner/capture/kmods.h"

#define MAX_WORKERS 256

/* What a task's latest step marker said. */
struct wstep {
	int pid;
	char name[MARKER_CASE_MAX];
	unsigned nth;
};

struct attrib {
	struct kreport_parser *reports;
	struct fidump_parser *dumps;
	struct wstep workers[MAX_WORKERS];
	unsigned nworkers;
	struct wstep last;		/* the most recent step marker of any task */
	struct kmods_seen mods;		/* modules seen loaded */
	struct attrib_event *q;		/* events not taken yet: q[head..len) */
	size_t head, len, cap;
	int err;
};

struct attrib *attrib_new(void)
{
	struct attrib *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->reports = kreport_new();
	a->dumps = fidump_new();
	if (!a->reports || !a->dumps) {
		attrib_destroy(a);
		return NULL;
	}
	return a;
}

void attrib_destroy(struct attrib *a)
{
	if (!a)
		return;
	for (; a->head < a->len; a->head++) {
		kreport_free(a->q[a->head].report);
		free(a->q[a->head].dump);
	}
	free(a->q);
	kreport_destroy(a->reports);
	fidump_destroy(a->dumps);
	free(a);
}

/* A new event at the queue's end, zeroed; NULL (and a->err) without memory. */
static struct attrib_event *push(struct attrib *a, enum attrib_kind kind)
{
	struct attrib_event *ev;

	if (a->head == a->len)
		a->head = a->len = 0;
	if (a->len == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;

		ev = realloc(a->q, cap * sizeof(*ev));
		if (!ev) {
			a->err = -ENOMEM;
			return NULL;
		}
		a->q = ev;
		a->cap = cap;
	}
	ev = &a->q[a->len++];
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	return ev;
}

static const struct wstep *step_of_pid(const struct attrib *a, int pid)
{
	for (unsigned i = 0; pid > 0 && i < a->nworkers; i++)
		if (a->workers[i].pid == pid)
			return &a->workers[i];
	return NULL;
}

/* The step that printed as @pid: its task's latest step, else the latest step of any. */
static void attribute(const struct attrib *a, int pid, struct attrib_at *at)
{
	const struct wstep *s = step_of_pid(a, pid);

	memset(at, 0, sizeof(*at));
	at->how = "none";
	if (s)
		at->how = "pid";
	else if (*a->last.name)
		at->how = "time", s = &a->last;
	if (s) {
		snprintf(at->case_name, sizeof(at->case_name), "%s", s->name);
		at->nth = s->nth;
	}
}

/* Attribute what the parsers finished, with the step map as it is now. */
static void drain(struct attrib *a)
{
	struct attrib_event *ev;
	struct kreport *r;
	struct fidump *d;

	while ((r = kreport_next(a->reports))) {
		ev = push(a, ATTRIB_REPORT);
		if (!ev) {
			kreport_free(r);
			continue;
		}
		attribute(a, r->pid, &ev->at);
		ev->report = r;
	}
	while ((d = fidump_next(a->dumps))) {
		ev = push(a, ATTRIB_SITE);
		if (!ev) {
			free(d);
			continue;
		}
		attribute(a, d->pid, &ev->at);
		ev->dump = d;
	}
}

static void note_step(struct attrib *a, const struct marker *m)
{
	struct wstep s = { .pid = m->pid, .nth = m->nth };
	unsigned i;

	snprintf(s.name, sizeof(s.name), "%s", m->case_name);
	a->last = s;
	for (i = 0; i < a->nworkers && a->workers[i].pid != s.pid; i++)
		;
	if (i == a->nworkers) {
		/* Full: reuse a slot; pids of finished workers age out. */
		if (a->nworkers < MAX_WORKERS)
			a->nworkers++;
		else
			i = s.pid % MAX_WORKERS;
	}
	a->workers[i] = s;
}

/* A module seen loaded: an event the first time at this base with this .text. */
static void note_module(struct attrib *a, const struct marker_module *m)
{
	const struct marker_module *known = kmods_lookup(&a->mods, m->base);
	struct attrib_event *ev;

	if (known && known->text == m->text && !strcmp(known->name, m->name))
		return;
	kmods_add(&a->mods, m);
	ev = push(a, ATTRIB_MODULE);
	if (ev)
		ev->mod = *m;
}

/* The number of events waiting, or the error since the last call. */
static int waiting(struct attrib *a)
{
	int err = a->err;

	a->err = 0;
	return err ? err : (int)(a->len - a->head);
}

int attrib_feed(struct attrib *a, const struct kmsg_rec *r)
{
	struct attrib_event *ev;
	struct marker m;

	/*
	 * The parsers first: a marker ends the report (or dump) its task
	 * printed in the step before, which must be attributed with the step
	 * map as it was, before the marker moves that task to N+1.
	 */
	if (kreport_feed_kmsg(a->reports, r) == -ENOMEM || fidump_feed_kmsg(a->dumps, r) == -ENOMEM)
		a->err = -ENOMEM;
	drain(a);
	switch (marker_parse(r->text, &m)) {
	case MARKER_STEP:
		note_step(a, &m);
		break;
	case MARKER_END:
		ev = push(a, ATTRIB_END);
		if (ev)
			ev->token = m.token;
		break;
	case MARKER_MODULE:
		note_module(a, &m.mod);
		break;
	case MARKER_DONE:	/* it ended its task's last reports above: nothing else to do */
	case MARKER_NONE:
		break;
	}
	return waiting(a);
}

int attrib_gap(struct attrib *a)
{
	push(a, ATTRIB_GAP);
	return waiting(a);
}

int attrib_flush(struct attrib *a)
{
	kreport_flush(a->reports);
	fidump_flush(a->dumps);
	drain(a);
	return waiting(a);
}

bool attrib_next(struct attrib *a, struct attrib_event *ev)
{
	if (a->head == a->len)
		return false;
	*ev = a->q[a->head++];
	return true;
}

void attrib_case_of_pid(const struct attrib *a, int pid, char *name, size_t len, unsigned *nth)
{
	const struct wstep *s = step_of_pid(a, pid);

	snprintf(name, len, "%s", s ? s->name : "");
	*nth = s ? s->nth : 0;
}

/* The N of a worker's per-step name "fs#N"; false for any other comm. */
static bool step_of_comm(const char *comm, unsigned *nth)
{
	char end;

	return sscanf(comm, "fs#%u%c", nth, &end) == 1;
}

void attrib_leak(const struct attrib *a, const struct kreport *r, struct attrib_at *at)
{
	unsigned nth;

	memset(at, 0, sizeof(*at));
	attrib_case_of_pid(a, r->pid, at->case_name, sizeof(at->case_name), &nth);
	at->how = *at->case_name ? "case" : "none";
	if (*at->case_name && step_of_comm(r->comm, &at->nth))
		at->how = "comm";
	else
		at->nth = 0;
}

const struct marker_module *attrib_module_of(const struct attrib *a, uint64_t addr)
{
	return kmods_lookup(&a->mods, addr);
}
