/*
 * lockdep reports (kernel/locking/lockdep.c): circular dependency, recursive
 * locking, inconsistent lock state, locks held on return to user space and
 * the rarer ones, blamed on the task's acquire site.
 */
#include <string.h>

#include "klog/kreport_int.h"

struct variant {
	const char *header;	/* the line after the "=====" */
	const char *title;	/* title stem, " in <func>" follows */
	const char *type;	/* kreport.bug_type */
};

enum { V_CIRCULAR, V_RECURSIVE, V_INCONSISTENT, V_RETURN_USER, V_SAFE_UNSAFE };

static const struct variant variants[] = {
	[V_CIRCULAR] = { "WARNING: possible circular locking dependency detected",
			 "possible deadlock", "circular-locking" },
	[V_RECURSIVE] = { "WARNING: possible recursive locking detected",
			  "possible recursive locking", "recursive-locking" },
	[V_INCONSISTENT] = { "WARNING: inconsistent lock state",
			     "inconsistent lock state", "inconsistent-lock-state" },
	[V_RETURN_USER] = { "WARNING: lock held when returning to user space!",
			    "lock held when returning to user space", "lock-held-returning" },
	[V_SAFE_UNSAFE] = { NULL, "possible deadlock", "irq-safe-unsafe-order" },
	{ "WARNING: possible irq lock inversion dependency detected",
	  "possible irq lock inversion dependency", "irq-lock-inversion" },
	{ "[ BUG: Invalid wait context ]", "BUG: invalid wait context", "invalid-wait-context" },
	{ "WARNING: bad unlock balance detected!", "bad unlock balance", "bad-unlock-balance" },
	{ "WARNING: held lock freed!", "held lock freed", "held-lock-freed" },
	{ "WARNING: Nested lock was not taken", "nested lock was not taken", "nested-lock" },
	{ "WARNING: suspicious RCU usage", "suspicious RCU usage", "suspicious-rcu-usage" },
	{ "WARNING: chain_key collision", "chain_key collision", "chain-key-collision" },
};

#define NR_VARIANTS ((int)(sizeof(variants) / sizeof(variants[0])))

/* c->state */
enum { S_HEAD, S_WANT_AT, S_HELD, S_STACK };

static int lockdep_match(const char *s)
{
	int i;

	if (!kr_prefix(s, "WARNING: ") && !kr_prefix(s, "[ BUG: "))
		return -1;
	/* "WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected" */
	if (strstr(s, "-safe -> ") && strstr(s, "-unsafe lock order detected"))
		return V_SAFE_UNSAFE;
	for (i = 0; i < NR_VARIANTS; i++)
		if (variants[i].header && !strcmp(s, variants[i].header))
			return i;
	return -1;
}

static void lockdep_start(struct kr_cur *c, const char *s, int variant)
{
	struct kreport *r = c->r;

	r->kind = KREPORT_LOCKDEP;
	strcpy(r->bug_type, variants[variant].type);
	c->blame = KR_BLAME_AT;
	c->end_on_stack = variant != V_RETURN_USER;
	c->state = S_HEAD;
}

/* "foo/123 is trying to acquire lock:", "foo/123 [HC0[0]:SC0[0]:HE1:SE1] takes:". */
static bool task_line(struct kr_cur *c, const char *s)
{
	static const char *const tails[] = {
		" is trying to acquire lock:", " is trying to lock:", " takes:",
		" is leaving the kernel with locks still held!", " just changed the state of lock:",
		" is trying to release lock (", " is exiting with locks still held!", NULL,
	};
	const char *const *t;

	for (t = tails; *t; t++) {
		const char *q = strstr(s, *t), *br;

		if (!q)
			continue;
		br = memchr(s, ' ', (size_t)(q - s));
		if (br && br[1] == '[')
			q = br;
		if (c->r->pid < 0)
			kreport_parse_task(s, q, '/', c->r);
		return true;
	}
	return false;
}

static enum kr_verdict lockdep_line(struct kr_cur *c, const char *s)
{
	const char *at;

	if (c->state == S_HELD) {
		/* The held-locks list ends the report where there is no stack. */
		if (!kr_prefix(s, " #"))
			return KR_NOT_OURS;
		c->r->complete = true;
		goto at;
	}
	if (c->state == S_HEAD && task_line(c, s)) {
		c->state = S_WANT_AT;
		return KR_TAKEN;
	}
	if (kr_prefix(s, "-> #") || strstr(s, " state was registered at:") ||
	    kr_prefix(s, "other info that might help"))
		c->sec = KR_SEC_OTHER;
	if (!strcmp(s, "stack backtrace:")) {
		c->sec = KR_SEC_NONE;
		c->state = S_STACK;
		return KR_TAKEN;
	}
	if (c->variant == V_RETURN_USER && (strstr(s, " held by ") || kr_prefix(s, "no locks held")))
		c->state = S_HELD;
at:
	at = strstr(s, ", at: ");
	if (at && !c->have_at && c->state != S_STACK && kreport_parse_sym(at + 6, &c->at))
		c->have_at = true;
	return KR_MORE;
}

static void lockdep_finish(struct kr_cur *c)
{
	kreport_pick_guilty(c);
	if (c->have_at)
		strcpy(c->r->func, c->at.func);
	kreport_title(c, "%s", variants[c->variant].title);
}

const struct kr_family kreport_lockdep_family = {
	.match = lockdep_match,
	.start = lockdep_start,
	.line = lockdep_line,
	.finish = lockdep_finish,
};
