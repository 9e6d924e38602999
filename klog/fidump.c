/* Fault-injection stack dumps ("FAULT_INJECTION: forcing a failure") into fault type, task, frames and site. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "klog/fidump.h"
#include "klog/kreport_int.h"

/* Dumps being assembled at once: one per printing task, a few at most. */
#define NCUR		8
/* Lines a dump may wait for its next line when no caller id tells lines apart. */
#define BUDGET		300

struct cur {
	struct fidump *d;
	int64_t caller;
	bool in_stack;
	int budget;
	uint64_t age;
};

struct fidump_parser {
	struct cur cur[NCUR];
	struct fidump **q;
	size_t qhead, qlen, qcap;
	uint64_t clock;
	int err;
	char line[KR_LINE_MAX];
};

/*
 * Never a site: the fault injection and dump plumbing, the allocators and
 * their wrappers (including the *_noprof names of 6.10+), and the usercopy
 * and fault-in helpers that fail_usercopy makes fail. A trailing '*' makes
 * a prefix.
 */
static const char *const machinery[] = {
	/* fault injection and the dump itself */
	"should_fail*", "__should_fail*", "should_failslab", "__should_failslab",
	"should_fail_alloc_page", "should_fail_usercopy", "should_fail_futex", "fail_dump",
	"dump_stack*", "__dump_stack", "show_stack", "show_trace_log_lvl", "__pfx_*",
	/* slab */
	"kmem_cache_alloc*", "__kmem_cache_alloc*", "kmem_cache_zalloc", "kmalloc*",
	"__kmalloc*", "___kmalloc*", "__do_kmalloc_node", "kzalloc*", "kcalloc*",
	"kmalloc_array*", "kmalloc_node*", "kvmalloc*", "__kvmalloc*", "kvzalloc*",
	"kvcalloc*", "kvrealloc*", "krealloc*", "__krealloc*", "__do_krealloc",
	"slab_pre_alloc_hook*", "slab_alloc*", "__slab_alloc*", "___slab_alloc",
	"slab_post_alloc_hook*", "alloc_slab_page", "allocate_slab", "new_slab",
	"kmem_cache_alloc_bulk*", "__kmem_cache_alloc_bulk", "kstrdup*", "kstrndup*",
	"kmemdup*", "kvmemdup*", "kasprintf*", "kvasprintf*", "memdup_user*",
	"vmemdup_user*", "strndup_user", "mempool_alloc*", "mempool_kmalloc",
	"mempool_alloc_slab", "kmemleak_*", "__kmemleak_*", "kasan_*", "__kasan_*",
	/* pages */
	"alloc_pages*", "__alloc_pages*", "alloc_page_interleave", "prepare_alloc_pages*",
	"folio_alloc*", "__folio_alloc*", "vma_alloc_folio*", "alloc_frozen_pages*",
	"__alloc_frozen_pages*", "get_page_from_freelist", "__get_free_pages*",
	"get_zeroed_page*", "alloc_pages_bulk*", "__alloc_pages_bulk*",
	"vmalloc*", "__vmalloc*", "vzalloc*", "vm_area_alloc_pages", "__vmalloc_area_node",
	/* sk_buff data, a kmalloc wrapper */
	"__alloc_skb", "alloc_skb*", "kmalloc_reserve",
	/* usercopy */
	"copy_from_user*", "_copy_from_user*", "__copy_from_user*", "copy_to_user*",
	"_copy_to_user*", "__copy_to_user*", "_inline_copy_from_user", "_inline_copy_to_user",
	"raw_copy_from_user", "raw_copy_to_user", "copy_user_generic*", "rep_movs_alternative",
	"strncpy_from_user*", "do_strncpy_from_user", "fault_in_*", "copy_struct_from_user",
	"check_zeroed_user",
	NULL,
};

bool fidump_is_machinery(const char *func)
{
	const char *const *m;

	if (!*func)
		return true;
	for (m = machinery; *m; m++) {
		size_t n = strlen(*m);

		if ((*m)[n - 1] == '*' ? !strncmp(func, *m, n - 1) : !strcmp(func, *m))
			return true;
	}
	return false;
}

struct fidump_parser *fidump_new(void)
{
	return calloc(1, sizeof(struct fidump_parser));
}

int fidump_pick_site(const struct fidump *d)
{
	int i;

	for (i = 0; i < d->nframes; i++)
		if (d->frames[i].reliable && !fidump_is_machinery(d->frames[i].func))
			return i;
	return -1;
}

static void queue(struct fidump_parser *p, struct fidump *d)
{
	d->site = fidump_pick_site(d);
	if (p->qhead == p->qlen)
		p->qhead = p->qlen = 0;
	if (p->qlen == p->qcap) {
		size_t cap = p->qcap ? p->qcap * 2 : 16;
		struct fidump **q = realloc(p->q, cap * sizeof(*q));

		if (!q) {
			free(d);
			p->err = -ENOMEM;
			return;
		}
		p->q = q;
		p->qcap = cap;
	}
	p->q[p->qlen++] = d;
}

static void finish(struct fidump_parser *p, struct cur *c)
{
	if (!c->d)
		return;
	queue(p, c->d);
	memset(c, 0, sizeof(*c));
}

/* The dump in progress that a line from @caller belongs to, or NULL. */
static struct cur *find(struct fidump_parser *p, int64_t caller)
{
	struct cur *best = NULL;
	int i;

	for (i = 0; i < NCUR; i++) {
		struct cur *c = &p->cur[i];

		if (!c->d)
			continue;
		if (caller >= 0 && c->caller >= 0)  {
			if (c->caller == caller)
				return c;
			continue;
		}
		if (!best || c->age > best->age)
			best = c;
	}
	return best;
}

static void start(struct fidump_parser *p, int64_t caller, uint64_t seq, uint64_t usec)
{
	struct cur *c = NULL, *old = NULL;
	int i;

	for (i = 0; i < NCUR; i++) {
		if (!p->cur[i].d) {
			c = &p->cur[i];
			break;
		}
		if (!old || p->cur[i].age < old->age)
			old = &p->cur[i];
	}
	if (!c) {
		finish(p, old);
		c = old;
	}
	c->d = calloc(1, sizeof(*c->d));
	if (!c->d) {
		p->err = -ENOMEM;
		return;
	}
	c->d->pid = -1;
	c->d->seq = seq;
	c->d->usec = usec;
	c->caller = caller;
	c->budget = BUDGET;
	c->age = ++p->clock;
}

/* " ? func+0x1/0x2 [mod]" → the frame, with the symbol kept as printed. */
static bool parse_frame(const char *s, struct fidump_frame *f)
{
	struct kreport_frame kf;
	const char *p = s, *e;
	bool rel;

	if (!kreport_parse_frame(s, &kf, &rel))
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] == '?' && p[1] == ' ')
		p += 2;
	if (p[0] == '[' && p[1] == '<') {
		p = strstr(p, "] ");
		if (!p)
			return false;
		p += 2;
		if (p[0] == '?' && p[1] == ' ')
			p += 2;
	}
	e = p + strcspn(p, " ");
	kreport_copy(f->sym, sizeof(f->sym), p, (size_t)(e - p));
	memcpy(f->func, kf.func, sizeof(f->func));
	memcpy(f->module, kf.module, sizeof(f->module));
	f->reliable = rel;
	f->addr = 0;	/* a dump shows none; fidump_parse_site() sets fail-nth-site's */
	return true;
}

/* "failslab size=64 gfp_mask=0xcc0(GFP_KERNEL)", or the name alone (first patch). */
static void site_header(struct fidump *d, const char *text, size_t n)
{
	const char *end = text + n, *w;
	char tok[128];

	for (w = text; w < end && *w != ' '; w++)
		;
	kreport_copy(d->fault, sizeof(d->fault), text, (size_t)(w - text));
	while (w < end) {
		const char *t;

		while (w < end && *w == ' ')
			w++;
		for (t = w; w < end && *w != ' '; w++)
			;
		kreport_copy(tok, sizeof(tok), t, (size_t)(w - t));
		if (!strncmp(tok, "size=", 5)) {
			char *e;
			long long v = strtoll(tok + 5, &e, 10);

			if (e != tok + 5 && !*e) {
				d->size = v;
				d->has_size = true;
			}
		} else if (!strncmp(tok, "gfp_mask=", 9)) {
			kreport_copy(d->gfp, sizeof(d->gfp), tok + 9, strlen(tok + 9));
		}
	}
}

int fidump_parse_site(const char *text, size_t len, struct fidump *d)
{
	const char *end = text + len, *nl;
	char buf[KREPORT_SYM_MAX + KREPORT_MOD_MAX + 8];

	if (!text || !d)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	d->pid = -1;
	d->site = -1;
	for (; text < end; text = nl + 1) {
		struct fidump_frame *f;
		uint64_t addr;
		size_t n;

		nl = memchr(text, '\n', (size_t)(end - text));
		if (!nl)
			nl = end;
		n = (size_t)(nl - text);
		while (n && (text[n - 1] == '\r' || text[n - 1] == ' '))
			n--;
		if (!n)
			continue;
		if (!d->fault[0]) {
			site_header(d, text, n);
			continue;
		}
		if (d->nframes == FIDUMP_FRAMES)
			break;
		f = &d->frames[d->nframes++];
		addr = 0;
		if (n > 2 && text[0] == '[' && text[1] == '<') {
			const char *close = memchr(text, ']', n);
			char hex[24];

			if (close && (size_t)(close - text) < n) {
				kreport_copy(hex, sizeof(hex), text + 2, (size_t)(close - text - 2));
				addr = strtoull(hex, NULL, 16);
				n -= (size_t)(close + 1 - text);
				text = close + 1;
				while (n && *text == ' ') {
					text++;
					n--;
				}
			}
		}
		/* The dump's frame syntax, whose lines start with a space. */
		buf[0] = ' ';
		kreport_copy(buf + 1, sizeof(buf) - 1, text, n);
		if (!parse_frame(buf, f)) {
			memset(f, 0, sizeof(*f));
			kreport_copy(f->sym, sizeof(f->sym), text, n);
		}
		f->addr = addr;
	}
	if (!d->fault[0])
		return -ENOENT;
	d->complete = true;
	d->site = fidump_pick_site(d);
	return 0;
}

/* Is @s, a line of no dump header, part of dump @c? Takes it in when so. */
static bool take(struct cur *c, const char *s)
{
	struct fidump *d = c->d;
	struct fidump_frame f;
	char comm[KREPORT_COMM_MAX];
	int pid, m;

	if (kr_prefix(s, "name ") && !d->fault[0] && d->pid < 0) {
		const char *e = s + 5 + strcspn(s + 5, ", ");

		kreport_copy(d->fault, sizeof(d->fault), s + 5, (size_t)(e - s - 5));
		return true;
	}
	if (kreport_parse_cpu_line(s, &pid, comm, sizeof(comm))) {
		if (d->pid >= 0)
			return false;
		d->pid = pid;
		kreport_copy(d->comm, sizeof(d->comm), comm, strlen(comm));
		return true;
	}
	if (!strcmp(s, "Call Trace:")) {
		if (c->in_stack || d->pid < 0)
			return false;
		c->in_stack = true;
		return true;
	}
	if ((m = kreport_stack_marker(s)) != 0) {
		if (!c->in_stack)
			return false;
		if (m == -2)
			d->complete = true;
		return true;
	}
	if (parse_frame(s, &f)) {
		if (!c->in_stack)
			return false;
		if (d->nframes < FIDUMP_FRAMES)
			d->frames[d->nframes++] = f;
		return true;
	}
	return d->pid >= 0 && (kr_prefix(s, "Tainted: [") || kr_prefix(s, "Hardware name: ") ||
			       kr_prefix(s, "Workqueue: ") || kreport_is_reg_line(s) ||
			       kr_prefix(s, "R08: ") || kr_prefix(s, "RBX: ") ||
			       kr_prefix(s, "RSI: ") || kr_prefix(s, "R11: ") ||
			       kr_prefix(s, "R14: ") || kr_prefix(s, "DS:  ") ||
			       kr_prefix(s, "CR0: ") || kr_prefix(s, "DR6: "));
}

static void line(struct fidump_parser *p, const char *text, size_t len, uint64_t seq,
		 uint64_t usec, int64_t caller)
{
	const char *s;
	struct cur *c;
	uint64_t ts = 0;
	size_t n;

	kreport_copy(p->line, sizeof(p->line), text, len);
	s = kreport_strip_prefix(p->line, &ts, &caller);
	n = strlen(s);
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	memmove(p->line, s, n);
	p->line[n] = '\0';
	s = p->line;
	if (!usec)
		usec = ts;

	if (kr_prefix(s, "FAULT_INJECTION: forcing a failure")) {
		/* A task prints one dump at a time: its previous one has ended. */
		c = find(p, caller);
		if (c)
			finish(p, c);
		start(p, caller, seq, usec);
		return;
	}
	c = find(p, caller);
	if (!c)
		return;
	if (take(c, s)) {
		c->age = ++p->clock;
		c->budget = BUDGET;
		if (c->d->complete)
			finish(p, c);
		return;
	}
	/*
	 * Its own task went on to print something else, or (without caller ids)
	 * something came between the header and the CPU: line that dump_stack()
	 * prints right after it: the dump ended, cut short or without a stack.
	 */
	if ((caller >= 0 && c->caller >= 0) || c->d->pid < 0) {
		finish(p, c);
		return;
	}
	if (--c->budget <= 0)
		finish(p, c);
}

static int feed_text(struct fidump_parser *p, const char *text, size_t len, uint64_t seq,
		     uint64_t usec, int64_t caller)
{
	const char *end = text + len;

	if (!p || !text)
		return -EINVAL;
	for (;;) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));

		line(p, text, nl ? (size_t)(nl - text) : (size_t)(end - text), seq, usec, caller);
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

int fidump_feed(struct fidump_parser *p, const char *text, uint64_t seq)
{
	if (!text)
		return -EINVAL;
	return feed_text(p, text, strlen(text), seq, 0, -1);
}

int fidump_feed_kmsg(struct fidump_parser *p, const struct kmsg_rec *r)
{
	if (!r)
		return -EINVAL;
	return feed_text(p, r->text, strnlen(r->text, sizeof(r->text)), r->seq, r->usec,
			 r->has_caller ? (int64_t)r->caller : -1);
}

int fidump_flush(struct fidump_parser *p)
{
	int i;

	if (!p)
		return -EINVAL;
	/* Oldest first, so the queue keeps log order. */
	for (;;) {
		struct cur *old = NULL;

		for (i = 0; i < NCUR; i++)
			if (p->cur[i].d && (!old || p->cur[i].age < old->age))
				old = &p->cur[i];
		if (!old)
			break;
		finish(p, old);
	}
	return (int)(p->qlen - p->qhead);
}

struct fidump *fidump_next(struct fidump_parser *p)
{
	if (!p || p->qhead == p->qlen)
		return NULL;
	return p->q[p->qhead++];
}

void fidump_destroy(struct fidump_parser *p)
{
	int i;

	if (!p)
		return;
	for (i = 0; i < NCUR; i++)
		free(p->cur[i].d);
	while (p->qhead < p->qlen)
		free(p->q[p->qhead++]);
	free(p->q);
	free(p);
}
