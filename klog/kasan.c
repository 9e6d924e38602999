/*
 * KASAN and KFENCE reports (mm/kasan/report.c, mm/kfence/report.c): bug type,
 * access, address, the task, and the allocation and free stacks.
 */
#include <stdlib.h>
#include <string.h>

#include "klog/kreport_int.h"

enum { V_KASAN, V_KFENCE };

static int kasan_match(const char *s)
{
	if (kr_prefix(s, "BUG: KASAN: "))
		return V_KASAN;
	if (kr_prefix(s, "BUG: KFENCE: "))
		return V_KFENCE;
	return -1;
}

/* "<type> in func+0x1a/0x40 [mod]": the type into @type, the function into c->hdr. */
static void split_header(struct kr_cur *c, const char *s, char *type, size_t size)
{
	const char *in = strstr(s, " in ");

	if (!in) {
		kreport_copy(type, size, s, strlen(s));
		return;
	}
	kreport_copy(type, size, s, (size_t)(in - s));
	if (kreport_parse_sym(in + 4, &c->hdr))
		c->have_hdr = true;
}

static void kasan_start(struct kr_cur *c, const char *s, int variant)
{
	struct kreport *r = c->r;

	c->blame = KR_BLAME_HDR;
	if (variant == V_KASAN) {
		r->kind = KREPORT_KASAN;
		split_header(c, s + strlen("BUG: KASAN: "), r->bug_type, sizeof(r->bug_type));
	} else {
		const char *sp;

		r->kind = KREPORT_KFENCE;
		split_header(c, s + strlen("BUG: KFENCE: "), c->what, sizeof(c->what));
		/* "use-after-free read": the type, then the access. */
		sp = strrchr(c->what, ' ');
		kreport_copy(r->bug_type, sizeof(r->bug_type), c->what,
			     sp ? (size_t)(sp - c->what) : strlen(c->what));
		if (sp && !strcmp(sp, " read"))
			strcpy(r->access, "Read");
		else if (sp && !strcmp(sp, " write"))
			strcpy(r->access, "Write");
	}
	if (c->have_hdr)
		strcpy(r->func, c->hdr.func);
}

static void parse_addr(struct kreport *r, const char *s)
{
	char *end;

	r->addr = strtoull(s, &end, 16);
	r->have_addr = end != s;
}

/* "Read of size 8 at addr ffff888012345678 by task foo/123", "Free of addr ...". */
static bool kasan_access(struct kreport *r, const char *s)
{
	static const char *const kinds[] = { "Read", "Write", "Free" };
	const char *p = NULL, *a, *t;
	size_t i;

	for (i = 0; i < 3 && !p; i++) {
		size_t n = strlen(kinds[i]);

		if (!strncmp(s, kinds[i], n) && (kr_prefix(s + n, " of size ") ||
						 kr_prefix(s + n, " at addr ") ||
						 kr_prefix(s + n, " of addr "))) {
			strcpy(r->access, kinds[i]);
			p = s + n;
		}
	}
	if (!p)
		return false;
	if (kr_prefix(p, " of size "))
		r->access_size = strtoull(p + 9, NULL, 10);
	a = strstr(p, " addr ");
	if (a)
		parse_addr(r, a + 6);
	t = strstr(p, " by task ");
	if (t && r->pid < 0)
		kreport_parse_task(t + 9, t + 9 + strlen(t + 9), '/', r);
	return true;
}

/* "Allocated by task 123:" or "... by task 123 on cpu 0 at 12.345678s:". */
static int track_pid(const char *s)
{
	const char *t = strstr(s, "by task ");
	long v;

	if (!t)
		return -1;
	v = strtol(t + 8, NULL, 10);
	return v >= 0 && v <= 0x7fffffff ? (int)v : -1;
}

static enum kr_verdict kasan_line(struct kr_cur *c, const char *s)
{
	struct kreport *r = c->r;

	if (kr_separator(s))
		return KR_END;
	if (c->variant == V_KFENCE) {
		if (kr_prefix(s, "Out-of-bounds ") || kr_prefix(s, "Use-after-free ") ||
		    kr_prefix(s, "Corrupted memory at ") || kr_prefix(s, "Invalid read at ") ||
		    kr_prefix(s, "Invalid write at ") || kr_prefix(s, "Invalid free of ")) {
			const char *a = strstr(s, " 0x");

			if (a)
				parse_addr(r, a + 1);
			c->sec = KR_SEC_MAIN;
			return KR_TAKEN;
		}
		if (kr_prefix(s, "allocated by task ")) {
			c->sec = KR_SEC_ALLOC;
			r->alloc.pid = track_pid(s);
			return KR_TAKEN;
		}
		if (kr_prefix(s, "freed by task ") || kr_prefix(s, "rcu freeing by task ")) {
			c->sec = KR_SEC_FREE;
			r->freed.pid = track_pid(s);
			return KR_TAKEN;
		}
		if (kr_prefix(s, "kfence-#") || !s[0]) {
			c->sec = KR_SEC_NONE;
			return KR_TAKEN;
		}
		return KR_MORE;
	}
	if (kasan_access(r, s))
		return KR_TAKEN;
	if (kr_prefix(s, "Allocated by task ")) {
		c->sec = KR_SEC_ALLOC;
		r->alloc.pid = track_pid(s);
		return KR_TAKEN;
	}
	if (kr_prefix(s, "Freed by task ")) {
		c->sec = KR_SEC_FREE;
		r->freed.pid = track_pid(s);
		return KR_TAKEN;
	}
	if (strstr(s, "potentially related work creation:") ||
	    kr_prefix(s, "Last potentially related")) {
		c->sec = KR_SEC_OTHER;
		return KR_TAKEN;
	}
	if (kr_prefix(s, "The buggy address ") || kr_prefix(s, "Memory state around") ||
	    (!s[0] && c->sec != KR_SEC_MAIN)) {
		c->sec = KR_SEC_NONE;
		return KR_TAKEN;
	}
	return KR_MORE;
}

static void kasan_finish(struct kr_cur *c)
{
	struct kreport *r = c->r;

	kreport_pick_guilty(c);
	if (c->variant == V_KFENCE)
		kreport_title(c, "KFENCE: %s", c->what[0] ? c->what : "unknown");
	else if (!strcmp(r->access, "Read") || !strcmp(r->access, "Write"))
		kreport_title(c, "KASAN: %s %s", r->bug_type, r->access);
	else
		kreport_title(c, "KASAN: %s", r->bug_type[0] ? r->bug_type : "unknown");
}

const struct kr_family kreport_kasan_family = {
	.match = kasan_match,
	.start = kasan_start,
	.line = kasan_line,
	.finish = kasan_finish,
};
