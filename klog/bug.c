/*
 * WARNING, BUG:, kernel BUG at, Oops, general protection fault, UBSAN and panic
 * reports (kernel/panic.c, lib/bug.c, arch/x86/mm/fault.c, arch/x86/kernel/
 * dumpstack.c and traps.c, lib/ubsan.c, kernel/sched/core.c), with the
 * refcount_t and list corruption WARNs/BUGs told apart by their preface.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klog/kreport_int.h"

/* The watchdog prints "watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [repro:123]". */
static const char *unprefix(const char *s)
{
	return kr_prefix(s, "watchdog: ") ? s + 10 : s;
}

static int bug_match(const char *s)
{
	if (kr_prefix(unprefix(s), "BUG: ") && !kr_prefix(unprefix(s), "BUG: KASAN: ") &&
	    !kr_prefix(unprefix(s), "BUG: KFENCE: "))
		s = unprefix(s);
	if (kr_prefix(s, "WARNING: CPU: "))
		return KR_BUG_WARNING;
	if (kr_prefix(s, "UBSAN: "))
		return KR_BUG_UBSAN;
	if (kr_prefix(s, "kernel BUG at ") || kr_prefix(s, "Kernel BUG at "))
		return KR_BUG_KERNEL_BUG;
	if (kr_prefix(s, "BUG: kernel NULL pointer dereference") ||
	    kr_prefix(s, "BUG: unable to handle "))
		return KR_BUG_PAGE_FAULT;
	if (kr_prefix(s, "BUG: "))
		return KR_BUG_OTHER;
	if (kr_prefix(s, "Oops: "))
		return strstr(s, "general protection fault") ? KR_BUG_GPF : KR_BUG_OOPS;
	if (kr_prefix(s, "general protection fault") ||
	    kr_prefix(s, "segment-related general protection fault"))
		return KR_BUG_GPF;
	if (kr_prefix(s, "Kernel panic - not syncing: "))
		return KR_BUG_PANIC;
	return -1;
}

/* "drivers/foo.c:42" ending at @end into r->file and r->line. */
static bool parse_file_line(struct kreport *r, const char *s, const char *end)
{
	const char *colon = NULL, *p;

	for (p = s; p < end; p++)
		if (*p == ':')
			colon = p;
	if (!colon || colon == s || !isdigit((unsigned char)colon[1]))
		return false;
	kreport_copy(r->file, sizeof(r->file), s, (size_t)(colon - s));
	r->line = (int)strtol(colon + 1, NULL, 10);
	return true;
}

/* "WARNING: CPU: 0 PID: 123 at drivers/foo.c:42 foo_bar+0x1a/0x40 [planted]". */
static void start_warning(struct kr_cur *c, const char *s)
{
	struct kreport *r = c->r;
	const char *p = strstr(s, " PID: "), *at = strstr(s, " at ");
	char *end;
	long pid;

	r->kind = KREPORT_WARNING;
	if (p) {
		pid = strtol(p + 6, &end, 10);
		if (end != p + 6 && pid >= 0 && pid <= 0x7fffffff)
			r->pid = (int)pid;
	}
	if (at) {
		const char *f = at + 4, *sp = strchr(f, ' ');

		if (kreport_parse_sym(f, &c->hdr)) {
			c->have_hdr = true;
		} else if (sp && parse_file_line(r, f, sp) && kreport_parse_sym(sp + 1, &c->hdr)) {
			c->have_hdr = true;
		}
	}
	if (c->have_hdr)
		strcpy(r->func, c->hdr.func);
	if ((c->pre & KR_PRE_REFCOUNT) || !strcmp(r->file, "lib/refcount.c"))
		r->kind = KREPORT_REFCOUNT;
	else if ((c->pre & KR_PRE_LIST) || !strcmp(r->file, "lib/list_debug.c"))
		r->kind = KREPORT_LIST_CORRUPTION;
	c->blame = KR_BLAME_HDR;
	c->end_on_trace = true;
}

/* The stem of a "BUG: " title: "scheduling while atomic", "kernel NULL pointer dereference". */
static void bug_stem(struct kr_cur *c, const char *s)
{
	static const char *const cuts[] = {
		": ", " - ", ", ", " at ", " on CPU", " in process", " for address", " (", NULL,
	};
	const char *const *cut;
	size_t n = strlen(s);

	for (cut = cuts; *cut; cut++) {
		const char *q = strstr(s, *cut);

		if (q && (size_t)(q - s) < n)
			n = (size_t)(q - s);
	}
	kreport_copy(c->what, sizeof(c->what), s, n);
}

static void start_bug(struct kr_cur *c, const char *s, int variant)
{
	struct kreport *r = c->r;
	const char *msg = unprefix(s) + strlen("BUG: "), *q;

	r->kind = KREPORT_BUG;
	bug_stem(c, msg);
	if (variant == KR_BUG_PAGE_FAULT) {
		q = strstr(msg, "address: ");
		if (q) {
			char *end;

			r->addr = strtoull(q + 9, &end, 16);
			r->have_addr = end != q + 9;
		}
		c->blame = KR_BLAME_RIP;
		c->want_oops = true;
		c->end_on_trace = true;
		return;
	}
	c->blame = KR_BLAME_STACK;
	c->end_on_stack = true;
	c->skip_wait = true;
	if (kr_prefix(msg, "scheduling while atomic: ")) {
		/* "comm/pid/0x00000002" */
		q = strrchr(msg, '/');
		if (q)
			kreport_parse_task(msg + 25, q, '/', r);
	} else if (kr_prefix(msg, "spinlock ") && (q = strstr(msg, ", ")) != NULL) {
		kreport_parse_task(q + 2, q + 2 + strlen(q + 2), '/', r);
	} else if ((q = strstr(msg, "invalid context at ")) != NULL) {
		q += strlen("invalid context at ");
		parse_file_line(r, q, q + strlen(q));
	} else if (kr_prefix(msg, "soft lockup")) {
		c->blame = KR_BLAME_STALL;
		q = strrchr(msg, '[');
		if (q && q[strlen(q) - 1] == ']')
			kreport_parse_task(q + 1, q + strlen(q) - 1, ':', r);
	}
}

static void bug_start(struct kr_cur *c, const char *s, int variant)
{
	struct kreport *r = c->r;
	const char *p, *q;

	switch (variant) {
	case KR_BUG_WARNING:
		start_warning(c, s);
		return;
	case KR_BUG_UBSAN:
		/* "UBSAN: array-index-out-of-bounds in drivers/foo.c:12:5" */
		r->kind = KREPORT_UBSAN;
		p = s + strlen("UBSAN: ");
		q = strstr(p, " in ");
		kreport_copy(r->bug_type, sizeof(r->bug_type), p, q ? (size_t)(q - p) : strlen(p));
		if (q) {
			const char *f = q + 4, *e = strrchr(f, ':');

			/* file:line:column; drop the column */
			if (!e || !parse_file_line(r, f, e))
				parse_file_line(r, f, f + strlen(f));
		}
		c->blame = KR_BLAME_STACK;
		c->end_on_trace = true;
		return;
	case KR_BUG_KERNEL_BUG:
		r->kind = KREPORT_KERNEL_BUG;
		p = s + strlen("kernel BUG at ");
		if (s[0] == 'k') {
			q = strrchr(p, '!');
			parse_file_line(r, p, q ? q : p + strlen(p));
		} else if (kreport_parse_sym(p, &c->hdr)) {
			c->have_hdr = true;
		}
		if ((c->pre & KR_PRE_LIST) || !strcmp(r->file, "lib/list_debug.c"))
			r->kind = KREPORT_LIST_CORRUPTION;
		c->blame = KR_BLAME_RIP;
		c->want_oops = true;
		c->end_on_trace = true;
		return;
	case KR_BUG_PAGE_FAULT:
	case KR_BUG_OTHER:
		start_bug(c, s, variant);
		return;
	case KR_BUG_OOPS:
		/* "Oops: invalid opcode: 0000 [#1] PREEMPT SMP KASAN NOPTI" */
		r->kind = KREPORT_OOPS;
		p = s + strlen("Oops: ");
		q = strstr(p, " [#");
		if (q && q - p >= 6 && q[-5] == ' ' && q[-6] == ':')
			kreport_copy(c->what, sizeof(c->what), p, (size_t)(q - 6 - p));
		else
			strcpy(c->what, "Oops");
		c->blame = KR_BLAME_RIP;
		c->end_on_trace = true;
		return;
	case KR_BUG_GPF:
		r->kind = KREPORT_GPF;
		p = strstr(s, "address 0x");
		if (p) {
			r->addr = strtoull(p + 10, NULL, 16);
			r->have_addr = true;
		}
		c->blame = KR_BLAME_RIP;
		c->end_on_trace = true;
		return;
	default:
		/* "Kernel panic - not syncing: <reason>", then a dump_stack */
		r->kind = KREPORT_PANIC;
		r->panicked = true;
		p = s + strlen("Kernel panic - not syncing: ");
		kreport_copy(c->what, sizeof(c->what), p, strlen(p));
		c->blame = KR_BLAME_STACK;
		c->end_on_stack = true;
		return;
	}
}

static enum kr_verdict bug_line(struct kr_cur *c, const char *s)
{
	struct kreport *r = c->r;
	const char *p;

	if (kr_prefix(s, "KASAN: ") && (p = strstr(s, " in range [")) != NULL) {
		/* The non-canonical GPF hook: "KASAN: null-ptr-deref in range [0x10-0x17]". */
		const char *t = s + 7;

		if (kr_prefix(t, "probably "))
			t += 9;
		else if (kr_prefix(t, "maybe "))
			t += 6;
		if (t < p)
			kreport_copy(r->bug_type, sizeof(r->bug_type), t, (size_t)(p - t));
		r->addr = strtoull(p + 11, NULL, 16);
		r->have_addr = true;
		return KR_TAKEN;
	}
	if (c->variant == KR_BUG_OTHER && r->pid < 0 && kr_prefix(s, "in_atomic(): ") &&
	    (p = strstr(s, ", pid: ")) != NULL) {
		/* "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 123, name: foo" */
		char *end;
		long pid = strtol(p + 7, &end, 10);

		if (kr_prefix(end, ", name: ") && pid >= 0 && pid <= 0x7fffffff)
			kreport_set_task(r, end + 8, strlen(end + 8), (int)pid);
		return KR_TAKEN;
	}
	return KR_MORE;
}

static void bug_finish(struct kr_cur *c)
{
	struct kreport *r = c->r;

	kreport_pick_guilty(c);
	switch (r->kind) {
	case KREPORT_REFCOUNT:
		kreport_title(c, "refcount bug");
		break;
	case KREPORT_LIST_CORRUPTION:
		kreport_title(c, "list corruption");
		break;
	case KREPORT_WARNING:
		kreport_title(c, "WARNING");
		break;
	case KREPORT_UBSAN:
		kreport_title(c, "UBSAN: %s", r->bug_type);
		break;
	case KREPORT_KERNEL_BUG:
		kreport_title(c, "kernel BUG");
		break;
	case KREPORT_BUG:
		kreport_title(c, "BUG: %s", c->what);
		break;
	case KREPORT_OOPS:
		kreport_title(c, "%s", c->what);
		break;
	case KREPORT_GPF:
		kreport_title(c, "general protection fault");
		break;
	default:
		snprintf(r->title, sizeof(r->title), "kernel panic: %s", c->what);
		break;
	}
}

const struct kr_family kreport_bug_family = {
	.match = bug_match,
	.start = bug_start,
	.line = bug_line,
	.finish = bug_finish,
};
