/* The allocation sites of vmlinux or a .ko from its DWARF call sites and inlined allocator helpers. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reports/sym/sym_alloc.h"
#include "reports/sym/sym_obj.h"
#include "reports/sym/sym_sites.h"

#define MAX_DEPTH 128

static const char *const reach_names[SYM_REACH_NR] = {
	[SYM_REACH_SWEEPABLE] = "sweepable", [SYM_REACH_NOFAIL] = "nofail",
	[SYM_REACH_BOOT_ONLY] = "boot-only",
};

const char *sym_reach_str(enum sym_reach r)
{
	return (unsigned)r < SYM_REACH_NR ? reach_names[r] : "unknown";
}

/* One call into an allocator, placed on its line. */
struct cand {
	GElf_Addr pc;			/* libdwfl address: the return address */
	const struct sym_allocator *a;
	const char *alloc;		/* the callee's DWARF name */
	const char *file, *scope, *scope_file;	/* interned */
	const char *sym;		/* the outermost function: the ELF symbol, no suffix */
	int line, scope_line;
	uint64_t gfp;
	bool gfp_known, tail;
};

struct walk {
	struct sym_obj *o;
	struct sym_sites *l;		/* its pool interns the placed strings */
	Dwarf_Die *cu;
	Dwarf_Die stack[MAX_DEPTH + 2];	/* the scopes from the CU in to the current DIE */
	int depth;
	Dwarf_Addr bias;
	int machine;
	GElf_Addr init_lo, init_hi;	/* vmlinux's .init.text, libdwfl addresses */
	struct cand *c;
	size_t n, cap;
	int64_t nofail_bit;		/* -1 until ___GFP_NOFAIL_BIT is seen */
	unsigned partial;
	char main_c[SYM_PATH_MAX];	/* the CU name of init/main.c, for the source root */
	char main_dir[SYM_PATH_MAX];
};

/*
 * Place the call returning to @pc as sym.c places a stack frame there: the
 * line of the call instruction, walked out of inlined allocator helpers
 * through the scopes that hold it (w->stack, innermost last).
 */
static int place_call(struct walk *w, Dwarf_Addr pc, struct cand *c)
{
	Dwarf_Die chain[MAX_DEPTH + 2];
	Dwfl_Line *dl = dwfl_module_getsrc(w->o->mod, pc + w->bias - 1);
	struct sym_loc loc;
	const char *file;
	int i, line = 0;

	if (!dl || !(file = dwfl_lineinfo(dl, NULL, &line, NULL, NULL, NULL)))
		return -ENODATA;
	memset(&loc, 0, sizeof(loc));
	snprintf(loc.file, sizeof(loc.file), "%s", file);
	loc.line = line;
	for (i = 0; i < w->depth; i++)
		chain[i] = w->stack[w->depth - 1 - i];
	sym_walk_out(w->cu, chain, w->depth, &loc);
	if (!loc.line || !*loc.scope || sym_alloc_inside(loc.scope))
		return -ENODATA;
	/* The function the symbol table names: the outermost one on the stack. */
	for (i = 0; i < w->depth && dwarf_tag(&w->stack[i]) != DW_TAG_subprogram; i++)
		;
	c->sym = i < w->depth ? sym_die_name(&w->stack[i]) : NULL;
	if (!c->sym || sym_alloc_inside(c->sym))
		return -ENODATA;
	c->file = sym_pool_str(&w->l->pool, loc.file);
	c->scope = sym_pool_str(&w->l->pool, loc.scope);
	c->scope_file = sym_pool_str(&w->l->pool, loc.scope_file);
	c->line = loc.line;
	c->scope_line = loc.scope_line;
	return c->file && c->scope && c->scope_file ? 0 : -ENOMEM;
}

static int add(struct walk *w, Dwarf_Addr pc, const struct sym_allocator *a, const char *alloc,
	       bool gfp_known, uint64_t gfp, bool tail)
{
	struct cand *c;
	int err;

	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;

		c = realloc(w->c, cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		w->c = c;
		w->cap = cap;
	}
	c = &w->c[w->n];
	*c = (struct cand){ .pc = pc + w->bias, .a = a, .alloc = alloc, .gfp = gfp,
			    .gfp_known = gfp_known, .tail = tail };
	err = place_call(w, pc, c);
	if (err == -ENODATA)		/* no line, or inside an allocator: no site */
		return 0;
	w->n += !err;
	return err;
}

/* Descend into @die, keeping it on the scope stack. */
static int scan_die(struct walk *w, Dwarf_Die *die, int depth);
static int inside_inline(struct walk *w, Dwarf_Die *die, const struct sym_allocator *a,
			 const char *name, bool known, uint64_t gfp, int depth);

static int push(struct walk *w, Dwarf_Die *die)
{
	if (w->depth >= MAX_DEPTH)
		return -1;
	w->stack[w->depth++] = *die;
	return 0;
}

/* A direct call to an allocator: a candidate. */
static int call_site(struct walk *w, Dwarf_Die *cs, const struct sym_allocator *inl,
		     const char *inl_name, bool inl_known, uint64_t inl_gfp)
{
	Dwarf_Die callee;
	const struct sym_allocator *a;
	const char *name;
	Dwarf_Addr pc;
	uint64_t gfp = inl_gfp;
	bool known = inl_known;

	if (!sym_call_origin(cs, &callee) || !sym_return_pc(cs, &pc))
		return 0;
	/* Inside an inlined helper any call is the allocator's: a fault's frame is there. */
	name = sym_die_name(&callee);
	a = name ? sym_allocator_of(name) : NULL;
	if (!a && !inl)
		return 0;
	if (!known)
		known = sym_call_gfp(w->machine, cs, &callee, &gfp);
	return add(w, pc, inl ? inl : a, inl ? inl_name : name, known, gfp,
		   dwarf_hasattr(cs, DW_AT_call_tail_call) || dwarf_hasattr(cs, DW_AT_GNU_tail_call));
}

/*
 * The calls inside an inlined allocator helper: each is where a fault in
 * it shows on the stack; sym_locate() walks out to the caller's line.
 */
static int inside_inline(struct walk *w, Dwarf_Die *die, const struct sym_allocator *a,
			 const char *name, bool known, uint64_t gfp, int depth)
{
	Dwarf_Die c;
	int err = 0;

	if (depth > MAX_DEPTH || dwarf_child(die, &c) || push(w, die))
		return 0;
	do {
		int tag = dwarf_tag(&c);

		if (sym_is_call(tag))
			err = call_site(w, &c, a, name, known, gfp);
		else if (tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block)
			err = inside_inline(w, &c, a, name, known, gfp, depth + 1);
	} while (!err && dwarf_siblingof(&c, &c) == 0);
	w->depth--;
	return err;
}

static void enumerators(struct walk *w, Dwarf_Die *e)
{
	Dwarf_Die c;
	Dwarf_Attribute a;
	Dwarf_Sword v;
	const char *n;

	if (w->nofail_bit >= 0 || dwarf_child(e, &c))
		return;
	do {
		n = sym_die_name(&c);
		if (n && !strcmp(n, "___GFP_NOFAIL_BIT") && dwarf_attr(&c, DW_AT_const_value, &a) &&
		    dwarf_formsdata(&a, &v) == 0 && v >= 0 && v < 32)
			w->nofail_bit = v;
	} while (dwarf_siblingof(&c, &c) == 0);
}

static bool has_code(Dwarf_Die *d)
{
	return dwarf_hasattr(d, DW_AT_low_pc) || dwarf_hasattr(d, DW_AT_ranges) ||
	       dwarf_hasattr(d, DW_AT_entry_pc);
}

static int scan_die(struct walk *w, Dwarf_Die *die, int depth)
{
	Dwarf_Die c, origin;
	int err = 0;

	if (depth > MAX_DEPTH || dwarf_child(die, &c) || push(w, die))
		return 0;
	do {
		int tag = dwarf_tag(&c);

		if (sym_is_call(tag)) {
			err = call_site(w, &c, NULL, NULL, false, 0);
		} else if (tag == DW_TAG_inlined_subroutine) {
			const char *name = sym_die_ref(&c, DW_AT_abstract_origin, &origin) ?
					   sym_die_name(&origin) : NULL;
			const struct sym_allocator *a = name ? sym_allocator_of(name) : NULL;
			uint64_t gfp = 0;
			bool known = a && sym_inline_gfp(&c, &gfp);

			if (a)
				err = inside_inline(w, &c, a, name, known, gfp, 0);
			else
				err = scan_die(w, &c, depth + 1);
		} else if (tag == DW_TAG_subprogram) {
			if (dwarf_hasattr(&c, DW_AT_declaration) || !has_code(&c))
				continue;
			if (!dwarf_hasattr(&c, DW_AT_call_all_calls) &&
			    !dwarf_hasattr(&c, DW_AT_GNU_all_call_sites))
				w->partial++;
			err = scan_die(w, &c, depth + 1);
		} else if (tag == DW_TAG_lexical_block) {
			err = scan_die(w, &c, depth + 1);
		} else if (tag == DW_TAG_enumeration_type) {
			enumerators(w, &c);
		}
	} while (!err && dwarf_siblingof(&c, &c) == 0);
	w->depth--;
	return err;
}

/* The CU of init/main.c names the source tree: its name less "init/main.c". */
static void note_cu(struct walk *w, Dwarf_Die *cu)
{
	Dwarf_Attribute a;
	const char *name = sym_die_name(cu), *dir;
	size_t n;

	if (*w->main_c || !name)
		return;
	n = strlen(name);
	if (n < 11 || strcmp(name + n - 11, "init/main.c") || (n > 11 && name[n - 12] != '/'))
		return;
	snprintf(w->main_c, sizeof(w->main_c), "%.*s", (int)(n - 11), name);
	dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &a));
	snprintf(w->main_dir, sizeof(w->main_dir), "%s", dir ? dir : "");
}

static void init_text(struct walk *w)
{
	Dwarf_Addr bias;
	Elf *elf = dwfl_module_getelf(w->o->mod, &bias);
	GElf_Ehdr eh;
	GElf_Addr lo;
	GElf_Xword size;

	if (!elf || !gelf_getehdr(elf, &eh))
		return;
	w->machine = eh.e_machine;
	/* vmlinux's .init.text is freed after boot; a module's runs at load */
	if (!*w->o->name && sym_obj_section(w->o, ".init.text", &lo, &size) == 0) {
		w->init_lo = lo;
		w->init_hi = lo + size;
	}
}

static int cmp_site(const void *a, const void *b)
{
	const struct sym_site *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static const char *strip_noprof(char *buf, size_t len, const char *name)
{
	size_t n = strcspn(name, ".");

	if (n > 7 && !strncmp(name + n - 7, "_noprof", 7))
		n -= 7;
	snprintf(buf, len, "%.*s", (int)n, name);
	return buf;
}

/* The placed calls as sites, one per line. */
static int place(struct walk *w, struct sym_sites *l)
{
	size_t i, k, n = 0;

	l->v = calloc(w->n + 1, sizeof(*l->v));
	if (!l->v)
		return -ENOMEM;
	for (i = 0; i < w->n; i++) {
		const struct cand *c = &w->c[i];
		struct sym_site *s = &l->v[n];
		char buf[KREPORT_SYM_MAX];

		s->sym = sym_pool_str(&l->pool, c->sym);
		s->alloc = sym_pool_str(&l->pool, strip_noprof(buf, sizeof(buf), c->alloc));
		if (!s->sym || !s->alloc)
			return -ENOMEM;
		s->file = c->file;
		s->func = c->scope;
		s->scope_file = c->scope_file;
		s->family = c->a->family;
		s->faults = c->a->faults;
		s->line = c->line;
		s->scope_line = c->scope_line;
		s->gfp = (uint32_t)c->gfp;
		s->gfp_known = c->gfp_known;
		s->tail = c->tail;
		s->calls = 1;
		if (c->pc - 1 >= w->init_lo && c->pc - 1 < w->init_hi)
			s->reach = SYM_REACH_BOOT_ONLY;
		else if (c->gfp_known && w->nofail_bit >= 0 && (c->gfp >> w->nofail_bit & 1))
			s->reach = SYM_REACH_NOFAIL;
		n++;
	}
	qsort(l->v, n, sizeof(*l->v), cmp_site);
	/* One site per line: sweepable when any call on it is, a tail call when all are. */
	for (i = 0, k = 0; i < n; i++) {
		struct sym_site *d = &l->v[k - (k > 0)];

		if (k && !cmp_site(d, &l->v[i])) {
			d->calls++;
			if (l->v[i].reach < d->reach)
				d->reach = l->v[i].reach;
			d->tail = d->tail && l->v[i].tail;
			if (d->gfp_known && (!l->v[i].gfp_known || l->v[i].gfp != d->gfp))
				d->gfp_known = false;
			continue;
		}
		l->v[k++] = l->v[i];
	}
	l->n = k;
	return 0;
}

static int scan(struct sym_obj *o, struct sym_sites *l)
{
	struct walk w = { .o = o, .l = l, .nofail_bit = -1 };
	Dwarf_Die *cu = NULL;
	Dwarf_Addr bias;
	int err = 0;

	init_text(&w);
	if (!dwfl_module_getdwarf(o->mod, &bias))
		return -ENODATA;
	while ((cu = dwfl_module_nextcu(o->mod, cu, &w.bias)) != NULL && !err) {
		note_cu(&w, cu);
		w.cu = cu;
		w.depth = 0;
		err = scan_die(&w, cu, 0);
	}
	if (!err)
		err = place(&w, l);
	l->partial_funcs = w.partial;
	l->nofail_known = w.nofail_bit >= 0;
	if (*w.main_c == '/')
		snprintf(l->root, sizeof(l->root), "%s", w.main_c);
	else if (*w.main_dir && strlen(w.main_dir) + strlen(w.main_c) + 2 < sizeof(l->root))
		snprintf(l->root, sizeof(l->root), "%.250s/%.250s", w.main_dir, w.main_c);
	free(w.c);
	return err;
}

static void build_id(struct sym_obj *o, char *buf, size_t len)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	int n = dwfl_module_build_id(o->mod, &bits, &vaddr), i;

	*buf = 0;
	for (i = 0; i < n && (size_t)(2 * i + 2) < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", bits[i]);
}

int sym_sites_get(struct sym *s, const char *module, const char *cache_dir,
		  struct sym_sites *out)
{
	struct sym_obj *o;
	struct timespec t0, t1;
	int err;

	memset(out, 0, sizeof(*out));
	snprintf(out->module, sizeof(out->module), "%s", module ? module : "");
	err = sym_obj_get(s, module, &o);
	if (err)
		return err;
	snprintf(out->path, sizeof(out->path), "%s", o->path);
	build_id(o, out->build_id, sizeof(out->build_id));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cache_dir && *out->build_id && sym_sites_cache_read(cache_dir, out) == 0) {
		out->cached = true;
	} else {
		err = scan(o, out);
		if (!err && cache_dir && *out->build_id)
			sym_sites_cache_write(cache_dir, out);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out->scan_s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	return err;
}

void sym_sites_free(struct sym_sites *l)
{
	free(l->v);
	sym_pool_free(l->pool);
	memset(l, 0, sizeof(*l));
}

const struct sym_site *sym_sites_find(const struct sym_sites *l, const char *file, int line)
{
	struct sym_site key = { .file = file, .line = line };

	return l->n ? bsearch(&key, l->v, l->n, sizeof(*l->v), cmp_site) : NULL;
}
