/*
 * A kernel report's record and the parser's queue of finished reports: the
 * kind names, allocation, raw text, the queue and the parser's life cycle.
 * The bottom of the parser: every other file builds on it, it calls none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klog/kreport_int.h"

static const char *const kind_names[KREPORT_NR_KINDS] = {
	[KREPORT_UNKNOWN] = "unknown", [KREPORT_KASAN] = "KASAN", [KREPORT_KFENCE] = "KFENCE",
	[KREPORT_UBSAN] = "UBSAN", [KREPORT_WARNING] = "WARNING", [KREPORT_BUG] = "BUG",
	[KREPORT_KERNEL_BUG] = "kernel-BUG", [KREPORT_OOPS] = "Oops", [KREPORT_GPF] = "GPF",
	[KREPORT_LOCKDEP] = "lockdep", [KREPORT_HUNG_TASK] = "hung-task",
	[KREPORT_RCU_STALL] = "rcu-stall", [KREPORT_REFCOUNT] = "refcount",
	[KREPORT_LIST_CORRUPTION] = "list-corruption", [KREPORT_PANIC] = "panic",
	[KREPORT_MEMORY_LEAK] = "memory-leak",
};

const char *kreport_kind_str(enum kreport_kind kind)
{
	if ((unsigned)kind >= KREPORT_NR_KINDS)
		return "unknown";
	return kind_names[kind];
}

void kreport_copy(char *dst, size_t size, const char *src, size_t len)
{
	if (!size)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

void kreport_set_task(struct kreport *r, const char *comm, size_t len, int pid)
{
	r->pid = pid;
	kreport_copy(r->comm, sizeof(r->comm), comm, len);
}

/* The raw text's allocation: a power of two, so appends cost amortised O(1). */
static size_t raw_size(size_t len)
{
	size_t n = 64;

	while (n < len + 1)
		n *= 2;
	return n;
}

void kreport_raw_append(struct kreport *r, const char *s, size_t len)
{
	size_t need = r->raw_len + (r->raw_len ? 1 : 0) + len;
	char *n;

	if (need + 1 > KR_RAW_MAX)
		return;
	if (raw_size(need) != raw_size(r->raw_len)) {
		n = realloc(r->raw, raw_size(need));
		if (!n)
			return;
		r->raw = n;
	}
	if (r->raw_len)
		r->raw[r->raw_len++] = '\n';
	memcpy(r->raw + r->raw_len, s, len);
	r->raw_len += len;
	r->raw[r->raw_len] = '\0';
}

int kreport_queue(struct kreport_parser *p, struct kreport *r)
{
	if (p->qhead == p->qlen)
		p->qhead = p->qlen = 0;
	if (p->qlen == p->qcap) {
		size_t cap = p->qcap ? p->qcap * 2 : 16;
		struct kreport **q = realloc(p->q, cap * sizeof(*q));

		if (!q) {
			kreport_free(r);
			p->err = -ENOMEM;
			return -ENOMEM;
		}
		p->q = q;
		p->qcap = cap;
	}
	p->q[p->qlen++] = r;
	return 0;
}

struct kreport *kreport_alloc(void)
{
	struct kreport *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->pid = r->alloc.pid = r->freed.pid = -1;
	r->raw = calloc(1, raw_size(0));
	if (!r->raw) {
		free(r);
		return NULL;
	}
	return r;
}

void kreport_emit(struct kreport_parser *p)
{
	struct kr_cur *c = &p->cur;

	c->fam->finish(c);
	if (!c->r->title[0])
		snprintf(c->r->title, sizeof(c->r->title), "%s", kreport_kind_str(c->r->kind));
	kreport_queue(p, c->r);
	c->r = NULL;
	p->active = false;
	p->tail = KR_TAIL_NONE;
}

struct kreport_parser *kreport_new(void)
{
	return calloc(1, sizeof(struct kreport_parser));
}

struct kreport *kreport_next(struct kreport_parser *p)
{
	if (!p || p->qhead == p->qlen)
		return NULL;
	return p->q[p->qhead++];
}

void kreport_free(struct kreport *r)
{
	if (!r)
		return;
	free(r->raw);
	free(r);
}

void kreport_destroy(struct kreport_parser *p)
{
	if (!p)
		return;
	if (p->active)
		kreport_free(p->cur.r);
	while (p->qhead < p->qlen)
		kreport_free(p->q[p->qhead++]);
	free(p->q);
	free(p);
}

