/*
 * Hung tasks (kernel/hung_task.c) and RCU CPU stalls (kernel/rcu/tree_stall.h),
 * blamed on the first frame past the scheduler, timer interrupt and idle loop.
 */
#include <string.h>

#include "klog/kreport_int.h"

enum { V_HUNG, V_RCU };

static int stall_match(const char *s)
{
	const char *p = kr_prefix(s, "rcu: ") ? s + 5 : s;

	if (kr_prefix(s, "INFO: task ") && strstr(s, " blocked for more than "))
		return V_HUNG;
	if (kr_prefix(p, "INFO: rcu_") && strstr(p, " stall"))
		return V_RCU;
	return -1;
}

static void stall_start(struct kr_cur *c, const char *s, int variant)
{
	struct kreport *r = c->r;

	c->skip_wait = true;
	c->end_on_stack = true;
	if (variant == V_HUNG) {
		/* "INFO: task foo:123 blocked for more than 122 seconds." */
		const char *t = s + strlen("INFO: task "), *e = strstr(t, " blocked for more than ");

		r->kind = KREPORT_HUNG_TASK;
		c->blame = KR_BLAME_STACK;
		if (e)
			kreport_parse_task(t, e, ':', r);
	} else {
		r->kind = KREPORT_RCU_STALL;
		strcpy(r->bug_type, strstr(s, "self-detected") ? "self-detected" : "detected");
		c->blame = KR_BLAME_STALL;
		c->tail_stacks = true;
	}
}

static enum kr_verdict stall_line(struct kr_cur *c, const char *s)
{
	/* sched_show_task(): "task:foo state:D stack:0 pid:123 ..." opens its stack. */
	if (kr_prefix(s, "task:") && strstr(s, " state:"))
		c->have_cpu = true;
	return KR_MORE;
}

static void stall_finish(struct kr_cur *c)
{
	kreport_pick_guilty(c);
	if (c->variant == V_HUNG)
		kreport_title(c, "INFO: task hung");
	else
		kreport_title(c, "INFO: rcu detected stall");
}

const struct kr_family kreport_stall_family = {
	.match = stall_match,
	.start = stall_start,
	.line = stall_line,
	.finish = stall_finish,
};
