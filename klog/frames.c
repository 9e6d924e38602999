/*
 * Line parsing shared by the kernel report parsers: console prefixes, stack
 * frames, symbols and task lines; and the blame: the skip list, the guilty
 * frame, the title. Below the families and the routing; uses only the record.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klog/kreport_int.h"

/*
 * Functions that are never to blame: they allocate, free, detect, inject, print
 * or trap on behalf of the caller. A trailing '*' makes a prefix. The list
 * follows syzkaller's skip lists, renamed for 6.12 (*_noprof allocators).
 */
static const char *const skip_funcs[] = {
	/* allocator */
	"kmalloc*", "__kmalloc*", "kmem_cache_*", "__kmem_cache_*", "kmem_cache_alloc*",
	"slab_*", "__slab_*", "___slab_alloc", "__do_kmalloc_node", "alloc_slab_page",
	"allocate_slab", "new_slab", "kzalloc*", "kcalloc*", "krealloc*", "__krealloc*",
	"kvmalloc*", "__kvmalloc*", "kvzalloc*", "kvrealloc*", "kvfree*", "kfree*",
	"kstrdup*", "kstrndup*", "kmemdup*", "kvmemdup*", "memdup_user*", "vmemdup_user*",
	"strndup_user", "alloc_pages*", "__alloc_pages*", "alloc_page_interleave",
	"folio_alloc*", "__folio_alloc*", "get_page_from_freelist", "__get_free_pages",
	"get_zeroed_page*", "free_pages*", "__free_pages*", "vmalloc*", "__vmalloc*",
	"vzalloc*", "vfree*", "do_slab_free", "__kmalloc_large*", "kmalloc_large*",
	"mempool_alloc*", "kmemleak_*", "__kmemleak_*", "create_object",
	"__create_object", "__alloc_skb", "alloc_skb*", "kmalloc_reserve",
	"__kmalloc_reserve", "__do_krealloc",
	/* KASAN, KFENCE, UBSAN */
	"kasan_*", "__kasan_*", "____kasan_*", "__asan_*", "asan_*", "check_memory_region*",
	"print_report", "print_address_description*", "describe_object*", "kfence_*",
	"__kfence_*", "__ubsan_*", "ubsan_*", "handle_overflow", "__sanitizer_*",
	"memcpy", "memmove", "memset", "__memcpy", "__memset", "__memmove",
	/* fault injection */
	"should_fail*", "__should_fail*", "should_failslab", "fail_dump", "failslab*",
	"should_fail_alloc_page", "should_fail_usercopy",
	/* lockdep and lock primitives */
	"lock_acquire*", "__lock_acquire*", "lock_release*", "__lock_release*",
	"lock_acquired", "lock_contended", "lockdep_*", "__lockdep_*", "check_prev_add",
	"check_prevs_add", "check_noncircular", "check_irq_usage", "check_deadlock",
	"validate_chain", "print_circular_bug*", "print_usage_bug*", "print_deadlock_bug",
	"print_bad_irq_dependency", "print_irq_inversion_bug", "valid_state", "mark_lock*",
	"mark_usage", "mark_held_locks", "debug_check_no_locks_freed", "spin_bug", "spin_dump",
	"_raw_spin_*", "_raw_read_*", "_raw_write_*", "do_raw_spin_*", "do_raw_read_*",
	"do_raw_write_*", "__raw_spin_*", "queued_spin_lock*", "native_queued_spin_lock*",
	"__pv_queued_spin_lock*", "queued_read_lock*", "queued_write_lock*",
	"mutex_lock*", "__mutex_lock*", "mutex_unlock", "__mutex_unlock*", "down_read*",
	"down_write*", "__down*", "down", "down_interruptible", "down_killable",
	"down_timeout", "down_trylock", "rwsem_down_*", "__rwsem_*", "rt_mutex*",
	"__rt_mutex*", "rt_spin_lock*",
	/* printk, dump_stack, WARN/BUG and trap plumbing */
	"dump_stack*", "__dump_stack", "show_stack*", "show_trace_log_lvl", "show_regs",
	"printk*", "_printk*", "vprintk*", "__warn", "__warn_printk", "warn_slowpath*",
	"report_bug", "handle_bug", "exc_*", "asm_exc_*", "do_error_trap", "do_trap",
	"do_int3*", "die", "die_addr", "__die*", "oops_*", "panic", "vpanic",
	"check_panic_on_warn", "nbcon_*", "refcount_warn_saturate", "__refcount_*",
	"__list_add_valid*", "__list_del_entry_valid*", "__list_*_valid_or_report",
	"check_data_corruption", "page_fault_oops", "kernelmode_fixup_or_oops",
	"__bad_area_nosemaphore", "bad_area_nosemaphore", "do_user_addr_fault",
	"do_kern_addr_fault", "handle_page_fault", "fixup_exception", "nmi_cpu_backtrace*",
	"nmi_trigger_cpumask_backtrace", "arch_trigger_cpumask_backtrace",
	"trigger_*backtrace", "dump_cpu_task", "sched_show_task",
	"__might_sleep", "__might_resched", "__might_fault", "might_fault", "__cant_sleep",
	"__schedule_bug", "schedule_debug",
	NULL,
};

/* Where blocked and stalled tasks wait: skipped only in hung-task and RCU-stall stacks. */
static const char *const wait_funcs[] = {
	"__schedule", "schedule", "schedule_*",
	"io_schedule*", "context_switch", "__switch_to*", "preempt_schedule*",
	"wait_for_completion*", "__wait_for_common", "do_wait_for_common", "wait_woken",
	"__wait_on_bit*", "out_of_line_wait_on_bit*", "bit_wait*", "msleep*", "usleep_range*",
	"ssleep",
	/* timer interrupt and idle (RCU stall stacks) */
	"rcu_*", "__rcu_*", "print_cpu_stall*", "print_other_cpu_stall", "check_cpu_stall",
	"update_process_times", "tick_*", "__tick_*", "hrtimer_*", "__hrtimer_*",
	"__sysvec_*", "sysvec_*", "asm_sysvec_*", "irq_exit*", "__irq_exit*",
	"handle_softirqs", "__do_softirq", "do_softirq*", "__run_timers", "run_timer_softirq",
	"default_idle*", "arch_cpu_idle", "cpu_idle*", "do_idle", "cpu_startup_entry",
	"native_safe_halt", "pv_native_safe_halt", "acpi_safe_halt", "acpi_idle_*",
	"start_secondary", "common_startup_64", "secondary_startup_64*",
	NULL,
};

static bool in_list(const char *const *list, const char *func)
{
	const char *const *p;

	for (p = list; *p; p++) {
		size_t n = strlen(*p);

		if ((*p)[n - 1] == '*') {
			if (!strncmp(func, *p, n - 1))
				return true;
		} else if (!strcmp(func, *p)) {
			return true;
		}
	}
	return false;
}

bool kreport_skip_func(const char *func, bool wait)
{
	return !func[0] || in_list(skip_funcs, func) || (wait && in_list(wait_funcs, func));
}

static bool is_sym_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '$';
}

static const char *skip_hex(const char *s)
{
	const char *p = s;

	while (isxdigit((unsigned char)*p))
		p++;
	return p > s ? p : NULL;
}

const char *kreport_parse_sym(const char *s, struct kreport_frame *f)
{
	const char *p = s, *name_end, *dot;

	while (is_sym_char(*p))
		p++;
	if (p == s || p[0] != '+' || p[1] != '0' || p[2] != 'x')
		return NULL;
	name_end = p;
	p = skip_hex(p + 3);
	if (!p || p[0] != '/' || p[1] != '0' || p[2] != 'x')
		return NULL;
	p = skip_hex(p + 3);
	if (!p)
		return NULL;
	/* Kernel identifiers have no '.': what follows one is a compiler suffix. */
	dot = memchr(s, '.', (size_t)(name_end - s));
	if (dot == s)
		return NULL;
	kreport_copy(f->func, sizeof(f->func), s, (size_t)((dot ? dot : name_end) - s));
	f->module[0] = '\0';
	if (p[0] == ' ' && p[1] == '[') {
		const char *m = p + 2, *me = m;

		while (*me && *me != ']' && *me != ' ')
			me++;
		if (me > m && *me) {
			kreport_copy(f->module, sizeof(f->module), m, (size_t)(me - m));
			me = strchr(me, ']');
			p = me ? me + 1 : m + strlen(m);
		}
	}
	return p;
}

bool kreport_parse_frame(const char *s, struct kreport_frame *f, bool *reliable)
{
	const char *p = s;

	if (*p != ' ')
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	*reliable = true;
	if (p[0] == '?' && p[1] == ' ') {
		*reliable = false;
		p += 2;
	}
	if (p[0] == '[' && p[1] == '<') {
		p = skip_hex(p + 2);
		if (!p || p[0] != '>' || p[1] != ']' || p[2] != ' ')
			return false;
		p += 3;
		if (p[0] == '?' && p[1] == ' ') {
			*reliable = false;
			p += 2;
		}
		/*
		 * "[<ffffffffc0341520>] 0xffffffffc0341520": no symbol, as kmemleak
		 * prints a frame of a module unloaded since. Kept as the address,
		 * so the guilty frame is not blamed on its caller.
		 */
		if (p[0] == '0' && p[1] == 'x') {
			const char *e = skip_hex(p + 2);

			if (e && (*e == '\0' || *e == ' ') && e - p < (long)sizeof(f->func)) {
				kreport_copy(f->func, sizeof(f->func), p, (size_t)(e - p));
				f->module[0] = '\0';
				return true;
			}
		}
	}
	p = kreport_parse_sym(p, f);
	return p && (*p == '\0' || *p == ' ');
}

int kreport_stack_marker(const char *s)
{
	const char *p = s;
	bool close;
	size_t n;

	while (*p == ' ')
		p++;
	if (p == s || *p != '<')
		return 0;
	close = p[1] == '/';
	p += close ? 2 : 1;
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ#_0123456789");
	if (!n || p[n] != '>' || p[n + 1] != '\0')
		return 0;
	if (n == 4 && !strncmp(p, "TASK", 4))
		return close ? -2 : 2;
	return close ? -1 : 1;
}

bool kreport_parse_cpu_line(const char *s, int *pid, char *comm, size_t size)
{
	const char *p, *c, *e;
	char *end;
	long v;

	if (!kr_prefix(s, "CPU: "))
		return false;
	p = strstr(s, " PID: ");
	if (!p)
		return false;
	v = strtol(p + 6, &end, 10);
	if (end == p + 6 || v < 0 || v > 0x7fffffff || !kr_prefix(end, " Comm: "))
		return false;
	*pid = (int)v;
	c = end + 7;
	/* The comm may hold spaces: it ends before the taint state. */
	e = strstr(c, " Not tainted");
	if (!e)
		e = strstr(c, " Tainted: ");
	if (!e)
		e = strstr(c, " Kdump: ");
	if (!e)
		e = c + strcspn(c, " ");
	kreport_copy(comm, size, c, (size_t)(e - c));
	return true;
}

bool kreport_is_reg_line(const char *s)
{
	static const char *const regs[] = {
		"RIP: ", "Code: ", "RSP: ", "RAX: ", "RDX: ", "RBP: ", "R10: ", "R13: ",
		"FS:  ", "CS:  ", "CR2: ", "DR0: ", "DR3: ", "PKRU: ", "EIP: ", NULL,
	};
	const char *const *r;

	for (r = regs; *r; r++)
		if (kr_prefix(s, *r))
			return true;
	return false;
}

bool kreport_parse_task(const char *s, const char *end, char sep, struct kreport *r)
{
	const char *p;
	char *e;
	long v;

	if (end <= s)
		return false;
	for (p = end - 1; p > s && *p != sep; p--)
		;
	if (p <= s || !isdigit((unsigned char)p[1]))
		return false;
	v = strtol(p + 1, &e, 10);
	if (e != end || v < 0 || v > 0x7fffffff)
		return false;
	kreport_set_task(r, s, (size_t)(p - s), (int)v);
	return true;
}

void kreport_track_add(struct kreport_track *t, const struct kreport_frame *f)
{
	if (t->nframes < KREPORT_TRACK_MAX && !kreport_skip_func(f->func, false))
		t->frames[t->nframes++] = *f;
}

static const struct kreport_frame *stack_blame(const struct kr_cur *c, bool task_only)
{
	int i;

	for (i = 0; i < c->nmain; i++) {
		const struct kr_frame *fr = &c->main[i];

		if (fr->reliable && !(task_only && fr->in_irq) &&
		    !kreport_skip_func(fr->f.func, c->skip_wait))
			return &fr->f;
	}
	return NULL;
}

void kreport_pick_guilty(struct kr_cur *c)
{
	const struct kreport_frame *g = NULL;

	switch (c->blame) {
	case KR_BLAME_HDR:
		if (c->have_hdr && !kreport_skip_func(c->hdr.func, false))
			g = &c->hdr;
		break;
	case KR_BLAME_RIP:
		if (c->have_rip && !kreport_skip_func(c->rip.func, false))
			g = &c->rip;
		break;
	case KR_BLAME_STALL:
		if (c->have_rip && !kreport_skip_func(c->rip.func, true))
			g = &c->rip;
		if (!g)
			g = stack_blame(c, true);
		break;
	default:
		break;
	}
	if (!g)
		g = stack_blame(c, false);
	if (!g && c->have_at)
		g = &c->at;
	if (!g && c->have_hdr)
		g = &c->hdr;
	if (!g && c->have_rip)
		g = &c->rip;
	if (g)
		c->r->guilty = *g;
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

