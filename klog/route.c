/*
 * Routing of each kernel log line: report headers, the "cut here" preface, the
 * context dumps (fault injection) whose stacks interleave with a report's,
 * the tail (register summary, panic) that follows a report's end marker.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "klog/kreport_int.h"

static const struct kr_family *const families[] = {
	&kreport_kasan_family, &kreport_lockdep_family, &kreport_kmemleak_family,
	&kreport_stall_family, &kreport_bug_family,
};

/* A preface whose header never came: a cut-short WARN/BUG, reported as what it shows. */
void kreport_pre_expire(struct kreport_parser *p)
{
	struct kr_pre *pre = &p->pre;
	struct kreport *r;

	if (!pre->flags)
		return;
	r = kreport_alloc();
	if (!r) {
		p->err = -ENOMEM;
	} else {
		r->seq = pre->seq;
		r->usec = pre->usec;
		kreport_raw_append(r, pre->buf, pre->len);
		if (pre->flags & KR_PRE_REFCOUNT) {
			r->kind = KREPORT_REFCOUNT;
			snprintf(r->title, sizeof(r->title), "refcount bug");
		} else if (pre->flags & KR_PRE_LIST) {
			r->kind = KREPORT_LIST_CORRUPTION;
			snprintf(r->title, sizeof(r->title), "list corruption");
		} else {
			r->kind = KREPORT_UNKNOWN;
			snprintf(r->title, sizeof(r->title), "unknown: %s",
				 pre->msg[0] ? pre->msg : "cut here without a report");
		}
		kreport_queue(p, r);
	}
	memset(pre, 0, offsetof(struct kr_pre, buf));
}

static void pre_add(struct kreport_parser *p, const char *s, const char *orig, size_t olen,
		    unsigned flag, uint64_t seq, uint64_t usec)
{
	struct kr_pre *pre = &p->pre;

	if (!pre->flags) {
		pre->seq = seq;
		pre->usec = usec;
		pre->len = 0;
	}
	pre->flags |= flag;
	pre->budget = KR_PRE_BUDGET;
	if (flag != KR_PRE_CUT && !pre->msg[0])
		kreport_copy(pre->msg, sizeof(pre->msg), s, strlen(s));
	if (pre->len + olen + 1 < sizeof(pre->buf)) {
		if (pre->len)
			pre->buf[pre->len++] = '\n';
		memcpy(pre->buf + pre->len, orig, olen);
		pre->len += olen;
	}
}

static bool is_panic_line(const char *s)
{
	return kr_prefix(s, "Kernel panic - not syncing: ");
}

static bool is_context_header(const char *s)
{
	return kr_prefix(s, "FAULT_INJECTION: forcing a failure") ||
	       strstr(s, ": page allocation failure: order:") ||
	       strstr(s, "kobject_add_internal failed for ") ||
	       kr_prefix(s, "sysfs: cannot create duplicate filename");
}

static bool is_stackish(const char *s)
{
	struct kreport_frame f;
	bool rel;

	return kreport_parse_frame(s, &f, &rel) || kreport_stack_marker(s) ||
	       kreport_is_reg_line(s) || !strcmp(s, "Call Trace:") || kr_prefix(s, "CPU: ") ||
	       kr_prefix(s, "Hardware name: ") || kr_prefix(s, "Modules linked in:") ||
	       kr_prefix(s, "Tainted: [") || kr_prefix(s, "Workqueue: ");
}

/* Generic lines of any report: task, stack sections, RIP, end markers. */
static bool cur_generic(struct kr_cur *c, const char *s)
{
	struct kreport *r = c->r;
	struct kreport_frame f;
	char comm[KREPORT_COMM_MAX];
	bool rel;
	int pid, m;

	if (kreport_parse_cpu_line(s, &pid, comm, sizeof(comm))) {
		c->have_cpu = true;
		if (r->pid < 0)
			kreport_set_task(r, comm, strlen(comm), pid);
		else if (r->pid == pid && !r->comm[0])
			kreport_copy(r->comm, sizeof(r->comm), comm, strlen(comm));
	} else if (!strcmp(s, "Call Trace:")) {
		if (!c->in_stack) {
			c->in_stack = true;
			c->sec = KR_SEC_MAIN;
			c->irq_depth = 0;
		}
	} else if ((m = kreport_stack_marker(s)) != 0) {
		if (m == 1) {
			c->irq_depth++;
		} else if (m == -1) {
			c->irq_depth -= c->irq_depth > 0;
		} else if (m == -2 && c->in_stack) {
			c->in_stack = false;
			c->stack_done = true;
			c->sec = KR_SEC_NONE;
			if (c->end_on_stack)
				return true;
		}
	} else if (kr_prefix(s, "RIP: ")) {
		const char *q = strchr(s + 5, ':');

		if (!c->have_rip && q && kreport_parse_sym(q + 1, &c->rip))
			c->have_rip = true;
	} else if (kreport_parse_frame(s, &f, &rel)) {
		if (c->sec == KR_SEC_MAIN && c->nmain < KR_MAIN_MAX) {
			c->main[c->nmain].f = f;
			c->main[c->nmain].reliable = rel;
			c->main[c->nmain].in_irq = c->irq_depth > 0;
			c->nmain++;
		} else if (c->sec == KR_SEC_ALLOC && rel) {
			kreport_track_add(&r->alloc, &f);
		} else if (c->sec == KR_SEC_FREE && rel) {
			kreport_track_add(&r->freed, &f);
		}
	} else if (kr_prefix(s, "---[ end trace")) {
		return c->end_on_trace;
	} else if (kr_prefix(s, "---[ end Kernel panic")) {
		return r->panicked;
	}
	return false;
}

/* Returns false when the line ended the report before it and must be parsed afresh. */
static bool cur_line(struct kreport_parser *p, const char *s, const char *orig, size_t olen)
{
	struct kr_cur *c = &p->cur;
	enum kr_verdict v = c->fam->line ? c->fam->line(c, s) : KR_MORE;

	if (v == KR_NOT_OURS) {
		kreport_emit(p);
		return false;
	}
	kreport_raw_append(c->r, orig, olen);
	c->nlines++;
	if (is_panic_line(s))
		c->r->panicked = true;
	if (v == KR_MORE && cur_generic(c, s))
		v = KR_END;
	if (v == KR_END) {
		c->r->complete = true;
		p->tail = KR_TAIL_END;
	} else if (c->nlines > KR_REPORT_LINES) {
		kreport_emit(p);
	}
	return true;
}

static void ctx_line(struct kreport_parser *p, const char *s)
{
	struct kr_ctx *x = &p->ctx;
	int pid;
	char comm[KREPORT_COMM_MAX];

	if (kreport_parse_cpu_line(s, &pid, comm, sizeof(comm)))
		x->have_cpu = true;
	else if (!strcmp(s, "Call Trace:"))
		x->in_stack = true;
	else if (kreport_stack_marker(s) == -2 && x->in_stack)
		x->active = false;
}

/* Is this line more of the ended report (a register summary, a panic and its stack)? */
static bool tail_absorbs(struct kreport_parser *p, const char *s)
{
	struct kr_cur *c = &p->cur;

	if (is_panic_line(s)) {
		c->r->panicked = true;
		p->tail = KR_TAIL_PANIC;
		return true;
	}
	if (kreport_is_reg_line(s) || kr_prefix(s, "Disabling lock debugging") ||
	    kr_prefix(s, "note: ") || kr_prefix(s, "Kernel Offset:") ||
	    kr_prefix(s, "---[ end Kernel panic"))
		return true;
	if (p->tail == KR_TAIL_PANIC)
		return is_stackish(s) || kr_prefix(s, "Shutting down cpus") ||
		       kr_prefix(s, "Rebooting in") || kr_prefix(s, "Dumping ftrace");
	if (c->tail_stacks)
		return is_stackish(s) || kr_prefix(s, "NMI backtrace for cpu") ||
		       kr_prefix(s, "Sending NMI from CPU") || kr_prefix(s, "task:") ||
		       kr_prefix(s, "rcu: ") || kr_prefix(s, "Task dump for CPU") || s[0] == '\t';
	return false;
}

static int match_header(const char *s, const struct kr_family **fam)
{
	size_t i;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		int v = families[i]->match(s);

		if (v >= 0) {
			*fam = families[i];
			return v;
		}
	}
	return -1;
}

static void start(struct kreport_parser *p, const struct kr_family *fam, int variant,
		  const char *s, const char *orig, size_t olen, uint64_t seq, uint64_t usec,
		  int64_t caller)
{
	struct kr_cur *c = &p->cur;
	struct kreport *r = kreport_alloc();

	if (!r) {
		p->err = -ENOMEM;
		return;
	}
	memset(c, 0, sizeof(*c));
	c->r = r;
	c->fam = fam;
	c->variant = variant;
	c->caller = caller;
	r->seq = seq;
	r->usec = usec;
	if (p->pre.flags) {
		r->seq = p->pre.seq;
		r->usec = p->pre.usec;
		c->pre = p->pre.flags;
		kreport_raw_append(r, p->pre.buf, p->pre.len);
		memset(&p->pre, 0, offsetof(struct kr_pre, buf));
	}
	if (p->sep.budget) {
		if (!c->pre) {
			r->seq = p->sep.seq;
			r->usec = p->sep.usec;
		}
		kreport_raw_append(r, p->sep.line, strlen(p->sep.line));
		p->sep.budget = 0;
	}
	kreport_raw_append(r, orig, olen);
	c->nlines = 1;
	p->active = true;
	p->tail = KR_TAIL_NONE;
	fam->start(c, s, variant);
}

/* Send a non-header line to the report, the context dump, or nowhere. */
static bool route(struct kreport_parser *p, const char *s, const char *orig, size_t olen,
		  int64_t caller)
{
	struct kr_cur *c = &p->cur;
	struct kr_ctx *x = &p->ctx;
	bool cur = false, ctx = false;
	char comm[KREPORT_COMM_MAX];
	int pid;

	if (p->active && caller >= 0 && c->caller >= 0 && caller != c->caller) {
		ctx = x->active && (x->caller < 0 || x->caller == caller);
	} else if (kreport_parse_cpu_line(s, &pid, comm, sizeof(comm))) {
		if (p->active && !c->have_cpu && (c->r->pid < 0 || c->r->pid == pid))
			cur = true;
		else if (x->active && !x->have_cpu)
			ctx = true;
		else
			cur = p->active;
	} else if (!strcmp(s, "Call Trace:")) {
		if (p->active && c->have_cpu && !c->in_stack)
			cur = true;
		else if (x->active && x->have_cpu && !x->in_stack)
			ctx = true;
		else
			cur = p->active;
	} else if (is_stackish(s)) {
		if (p->active && c->in_stack)
			cur = true;
		else if (x->active && x->in_stack)
			ctx = true;
		else if (p->active)
			cur = true;
		else
			ctx = x->active;
	} else {
		cur = p->active;
		ctx = !cur && x->active;
	}
	if (cur)
		return cur_line(p, s, orig, olen);
	if (ctx)
		ctx_line(p, s);
	return true;
}

static void budgets(struct kreport_parser *p)
{
	if (p->pre.flags && --p->pre.budget <= 0)
		kreport_pre_expire(p);
	if (p->sep.budget)
		p->sep.budget--;
	if (p->ctx.active && --p->ctx.budget <= 0)
		p->ctx.active = false;
}

void kreport_process(struct kreport_parser *p, const char *s, const char *orig, size_t olen,
		    uint64_t seq, uint64_t usec, int64_t caller)
{
	const struct kr_family *fam = NULL;
	int variant;

	for (;;) {
		if (p->active && p->tail) {
			if (tail_absorbs(p, s)) {
				kreport_raw_append(p->cur.r, orig, olen);
				if (kr_prefix(s, "---[ end Kernel panic"))
					kreport_emit(p);
				return;
			}
			kreport_emit(p);
		}
		variant = match_header(s, &fam);
		if (variant >= 0 && p->active) {
			struct kr_cur *c = &p->cur;

			/* A panic, or the Oops a BUG announced, continues the report. */
			if (fam == &kreport_bug_family && (variant == KR_BUG_PANIC || (c->want_oops &&
			    (variant == KR_BUG_OOPS || variant == KR_BUG_GPF)))) {
				if (variant != KR_BUG_PANIC)
					c->want_oops = false;
				budgets(p);
				if (route(p, s, orig, olen, caller))
					return;
				continue;
			}
			kreport_emit(p);
		}
		if (variant >= 0) {
			start(p, fam, variant, s, orig, olen, seq, usec, caller);
			return;
		}
		if (is_context_header(s)) {
			memset(&p->ctx, 0, sizeof(p->ctx));
			p->ctx.active = true;
			p->ctx.budget = KR_CTX_BUDGET;
			p->ctx.caller = caller;
			budgets(p);
			return;
		}
		if (!strcmp(s, "------------[ cut here ]------------")) {
			if (p->pre.flags & KR_PRE_CUT)
				kreport_pre_expire(p);
			pre_add(p, s, orig, olen, KR_PRE_CUT, seq, usec);
			return;
		}
		if (kr_prefix(s, "refcount_t: ")) {
			pre_add(p, s, orig, olen, KR_PRE_REFCOUNT, seq, usec);
			return;
		}
		if (kr_prefix(s, "list_add corruption") || kr_prefix(s, "list_del corruption") ||
		    kr_prefix(s, "list_add double add")) {
			pre_add(p, s, orig, olen, KR_PRE_LIST, seq, usec);
			return;
		}
		/* Only KASAN and KFENCE reports end with one; elsewhere it opens the next. */
		if (kr_separator(s) && (!p->active || p->cur.fam != &kreport_kasan_family)) {
			kreport_copy(p->sep.line, sizeof(p->sep.line), orig, olen);
			p->sep.budget = 4;
			p->sep.seq = seq;
			p->sep.usec = usec;
			return;
		}
		/*
		 * The WARN message after "cut here" precedes its header; a report in
		 * progress keeps the line only when its caller id says it is its own.
		 */
		if ((p->pre.flags & KR_PRE_CUT) && p->pre.nmsg < 2 && !is_stackish(s) &&
		    !(p->active && caller >= 0 && caller == p->cur.caller)) {
			p->pre.nmsg++;
			pre_add(p, s, orig, olen, 0, seq, usec);
			if (!p->pre.msg[0])
				kreport_copy(p->pre.msg, sizeof(p->pre.msg), s, strlen(s));
			return;
		}
		budgets(p);
		if (route(p, s, orig, olen, caller))
			return;
	}
}
