/*
 * The kernel report extractor's public side: console prefixes, feeding, the
 * queue of finished reports, and the report life cycle the families share.
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

void kreport_set_task(struct kreport *r, const char *comm, size_t len, int pid)
{
	r->pid = pid;
	kreport_copy(r->comm, sizeof(r->comm), comm, len);
}

void kreport_title(struct kr_cur *c, const char *fmt, ...)
{
	struct kreport *r = c->r;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(r->title, sizeof(r->title), fmt, ap);
	va_end(ap);
	n = strlen(r->title);
	if (r->guilty.func[0] && n < sizeof(r->title))
		snprintf(r->title + n, sizeof(r->title) - n, " in %s", r->guilty.func);
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

/* Strip "<4>", "[   12.345678]" and "[  T123]" console prefixes. */
const char *kreport_strip_prefix(const char *s, uint64_t *ts, int64_t *caller)
{
	const char *p = s, *q;
	bool any = false;

	if (*p == '<') {
		for (q = p + 1; *q >= '0' && *q <= '9'; q++)
			;
		if (q > p + 1 && *q == '>')
			p = q + 1;
	}
	if (*p == '[') {
		unsigned long long sec = 0, us = 0;
		int n = 0;

		if (sscanf(p, "[%llu.%llu]%n", &sec, &us, &n) == 2 && n > 0 && p[n - 1] == ']' &&
		    sec < (1ull << 40) && us < 1000000) {
			*ts = sec * 1000000 + us;
			p += n;
			any = true;
		}
	}
	if (p[0] == '[') {
		for (q = p + 1; *q == ' '; q++)
			;
		if (*q == 'T' || *q == 'C') {
			char kind = *q;
			long long id = 0;

			for (q++; *q >= '0' && *q <= '9' && id < (1ll << 31); q++)
				id = id * 10 + (*q - '0');
			if (*q == ']' && q[-1] >= '0' && q[-1] <= '9' && id < (1ll << 31)) {
				*caller = id | (kind == 'C' ? (int64_t)KMSG_CALLER_CPU : 0);
				p = q + 1;
				any = true;
			}
		}
	}
	if (any && *p == ' ')
		p++;
	return p;
}

static void feed_line(struct kreport_parser *p, const char *text, size_t len, uint64_t seq,
		      uint64_t usec, int64_t caller)
{
	uint64_t ts = 0;
	const char *msg;
	size_t n;

	/* kreport_strip_prefix() reads a C string: parse a bounded copy. */
	kreport_copy(p->line, sizeof(p->line), text, len);
	msg = kreport_strip_prefix(p->line, &ts, &caller);
	if (!usec)
		usec = ts;
	n = strlen(msg);
	memmove(p->line, msg, n + 1);
	while (n && (p->line[n - 1] == '\r' || p->line[n - 1] == ' ' || p->line[n - 1] == '\t'))
		p->line[--n] = '\0';
	kreport_process(p, p->line, text, len, seq, usec, caller);
}

static int feed_text(struct kreport_parser *p, const char *text, size_t len, uint64_t seq,
		     uint64_t usec, int64_t caller)
{
	const char *end = text + len;

	if (!p || !text)
		return -EINVAL;
	for (;;) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));

		feed_line(p, text, nl ? (size_t)(nl - text) : (size_t)(end - text), seq, usec,
			  caller);
		if (!nl || nl + 1 == end)
			break;
		text = nl + 1;
	}
	if (p->err) {
		int err = p->err;

		p->err = 0;
		return err;
	}
	return (int)(p->qlen - p->qhead);
}

int kreport_feed(struct kreport_parser *p, const char *line, uint64_t seq, uint64_t usec)
{
	if (!line)
		return -EINVAL;
	return feed_text(p, line, strlen(line), seq, usec, -1);
}

int kreport_feed_kmsg(struct kreport_parser *p, const struct kmsg_rec *r)
{
	size_t len;

	if (!r)
		return -EINVAL;
	len = strnlen(r->text, sizeof(r->text));
	return feed_text(p, r->text, len, r->seq, r->usec,
			 r->has_caller ? (int64_t)r->caller : -1);
}

int kreport_flush(struct kreport_parser *p)
{
	if (!p)
		return -EINVAL;
	if (p->active)
		kreport_emit(p);
	if (p->pre.flags)
		kreport_pre_expire(p);
	memset(&p->ctx, 0, sizeof(p->ctx));
	p->sep.budget = 0;
	return (int)(p->qlen - p->qhead);
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

