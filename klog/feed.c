/*
 * The kernel report parser's entry points: console lines and /dev/kmsg
 * records fed in, split into lines with their prefixes stripped and routed
 * (route.c) one by one; the flush at the end of the log. The top of the parser.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "klog/kreport_int.h"

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

