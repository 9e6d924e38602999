/*
 * kmemleak's "unreferenced object" records (mm/kmemleak.c), as printed to the
 * log ("kmemleak: " prefixed) or read from /sys/kernel/debug/kmemleak.
 */
#include <stdlib.h>
#include <string.h>

#include "klog/kreport_int.h"

enum { S_HEAD, S_HEX, S_TRACE };

static const char *unprefix(const char *s)
{
	return kr_prefix(s, "kmemleak: ") ? s + 10 : s;
}

static int kmemleak_match(const char *s)
{
	return kr_prefix(unprefix(s), "unreferenced object 0x") ? 0 : -1;
}

static void kmemleak_start(struct kr_cur *c, const char *s, int variant)
{
	struct kreport *r = c->r;

	r->kind = KREPORT_MEMORY_LEAK;
	r->addr = strtoull(unprefix(s) + strlen("unreferenced object "), NULL, 16);
	r->have_addr = true;
	c->blame = KR_BLAME_STACK;
	c->state = S_HEAD;
}

/* '  comm "foo", pid 123, jiffies 4294937296' */
static void comm_line(struct kreport *r, const char *s)
{
	const char *q = strstr(s, "\", pid ");
	char *end;
	long pid;

	if (!q)
		return;
	pid = strtol(q + 7, &end, 10);
	if (end != q + 7 && pid >= 0 && pid <= 0x7fffffff)
		kreport_set_task(r, s, (size_t)(q - s), (int)pid);
}

static enum kr_verdict kmemleak_line(struct kr_cur *c, const char *s)
{
	struct kreport_frame f;
	bool rel;

	s = unprefix(s);
	if (kr_prefix(s, "  comm \"")) {
		comm_line(c->r, s + 8);
		return KR_TAKEN;
	}
	if (kr_prefix(s, "  hex dump (first ")) {
		c->state = S_HEX;
		return KR_TAKEN;
	}
	if (kr_prefix(s, "  backtrace")) {
		c->state = S_TRACE;
		return KR_TAKEN;
	}
	if (c->state == S_HEX && kr_prefix(s, "    ") && !kreport_parse_frame(s, &f, &rel))
		return KR_TAKEN;
	if (c->state == S_TRACE && kr_prefix(s, "    ")) {
		if (kreport_parse_frame(s, &f, &rel) && c->nmain < KR_MAIN_MAX) {
			c->main[c->nmain].f = f;
			c->main[c->nmain].reliable = true;
			c->nmain++;
			c->r->complete = true;
		}
		return KR_TAKEN;
	}
	return KR_NOT_OURS;
}

static void kmemleak_finish(struct kr_cur *c)
{
	kreport_pick_guilty(c);
	kreport_title(c, "memory leak");
}

const struct kr_family kreport_kmemleak_family = {
	.match = kmemleak_match,
	.start = kmemleak_start,
	.line = kmemleak_line,
	.finish = kmemleak_finish,
};
