/* Kernel symbolization with libdw: symbol+offset or an address to function, file:line and module. */
#include <dirent.h>
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/sym/sym.h"
#include "reports/sym/sym_alloc.h"
#include "reports/sym/sym_obj.h"

static const Dwfl_Callbacks callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

int sym_new(struct sym **sp)
{
	*sp = calloc(1, sizeof(**sp));
	return *sp ? 0 : -ENOMEM;
}

static void normalize(char *dst, size_t len, const char *src, size_t n)
{
	size_t i;

	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++)
		dst[i] = src[i] == '-' ? '_' : src[i];
	dst[n] = 0;
}

static int elf_check(const char *path)
{
	unsigned char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (read(fd, magic, 4) != 4 || memcmp(magic, "\177ELF", 4))
		err = -ENOEXEC;
	close(fd);
	return err;
}

int sym_set_vmlinux(struct sym *s, const char *path)
{
	int err = elf_check(path);

	if (err)
		return err;
	free(s->vmlinux.path);
	s->vmlinux.path = strdup(path);
	return s->vmlinux.path ? 0 : -ENOMEM;
}

static int add_ko(struct sym *s, const char *path)
{
	const char *base = strrchr(path, '/');
	struct sym_obj *m;
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n <= 3 || strcmp(base + n - 3, ".ko"))
		return 0;
	m = realloc(s->mods, (s->nmods + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	s->mods = m;
	m = &s->mods[s->nmods];
	memset(m, 0, sizeof(*m));
	normalize(m->name, sizeof(m->name), base, n - 3);
	m->path = strdup(path);
	if (!m->path)
		return -ENOMEM;
	s->nmods++;
	return 1;
}

static int add_dir(struct sym *s, const char *dir, int depth)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0, err;

	if (!dp)
		return -errno;
	while ((d = readdir(dp)) != NULL) {
		char path[PATH_MAX];
		struct stat st;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			err = depth > 0 ? add_dir(s, path, depth - 1) : 0;
		else
			err = add_ko(s, path);
		if (err == -ENOMEM) {
			n = err;
			break;
		}
		n += err > 0 ? err : 0;
	}
	closedir(dp);
	return n;
}

int sym_add_modules(struct sym *s, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (S_ISDIR(st.st_mode))
		return add_dir(s, path, 3);
	return add_ko(s, path) > 0 ? 1 : -ENOEXEC;
}

static int cmp_sym(const void *a, const void *b)
{
	return strcmp(((const struct sym_fsym *)a)->name, ((const struct sym_fsym *)b)->name);
}

int sym_obj_open(struct sym_obj *o)
{
	int i, n;

	if (o->tried)
		return o->mod ? 0 : -ENOENT;
	o->tried = true;
	if (!o->path)
		return -ENOENT;
	o->dwfl = dwfl_begin(&callbacks);
	if (!o->dwfl)
		return -ENOMEM;
	o->mod = dwfl_report_offline(o->dwfl, *o->name ? o->name : "vmlinux", o->path, -1);
	dwfl_report_end(o->dwfl, NULL, NULL);
	if (!o->mod)
		return -ENOENT;
	n = dwfl_module_getsymtab(o->mod);
	o->syms = calloc(n > 0 ? n : 1, sizeof(*o->syms));
	if (!o->syms)
		return -ENOMEM;
	for (i = 1; i < n; i++) {
		GElf_Sym es;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name = dwfl_module_getsym_info(o->mod, i, &es, &addr, &shndx, NULL, NULL);

		if (!name || !*name || GELF_ST_TYPE(es.st_info) != STT_FUNC)
			continue;
		o->syms[o->nsyms].name = name;
		o->syms[o->nsyms].addr = addr;
		o->syms[o->nsyms].size = es.st_size;
		o->nsyms++;
	}
	qsort(o->syms, o->nsyms, sizeof(*o->syms), cmp_sym);
	return 0;
}

struct sym_obj *sym_find_obj(struct sym *s, const char *module)
{
	char want[KREPORT_MOD_MAX];
	size_t i;

	if (!module || !*module)
		return s->vmlinux.path ? &s->vmlinux : NULL;
	normalize(want, sizeof(want), module, strlen(module));
	for (i = 0; i < s->nmods; i++)
		if (!strcmp(s->mods[i].name, want))
			return &s->mods[i];
	return NULL;
}

int sym_obj_get(struct sym *s, const char *module, struct sym_obj **o)
{
	*o = sym_find_obj(s, module);
	return *o ? sym_obj_open(*o) : -ENOENT;
}

const char *sym_module_path(struct sym *s, const char *module)
{
	struct sym_obj *o = sym_find_obj(s, module);

	return o ? o->path : NULL;
}

/*
 * The address of @name: among static functions of the same name, the one
 * whose size is closest to the size the kernel printed (kallsyms' size runs
 * to the next symbol, so it may exceed st_size by the alignment padding).
 */
static int lookup(const struct sym_obj *o, const char *name, uint64_t size, GElf_Addr *addr)
{
	struct sym_fsym key = { .name = name };
	const struct sym_fsym *hit = bsearch(&key, o->syms, o->nsyms, sizeof(*o->syms), cmp_sym);
	const struct sym_fsym *p, *best = NULL;
	uint64_t bestd = ~0ull;

	if (!hit)
		return -ESRCH;
	while (hit > o->syms && !strcmp(hit[-1].name, name))
		hit--;
	for (p = hit; p < o->syms + o->nsyms && !strcmp(p->name, name); p++) {
		uint64_t d = size > p->size ? size - p->size : p->size - size;

		if (d < bestd) {
			bestd = d;
			best = p;
		}
	}
	*addr = best->addr;
	return 0;
}

static void set_path(char *dst, size_t len, const char *file, const char *compdir)
{
	if (file[0] == '/' || !compdir || !*compdir)
		snprintf(dst, len, "%s", file);
	else
		snprintf(dst, len, "%s/%s", compdir, file);
}

void sym_walk_out(Dwarf_Die *cu, Dwarf_Die *chain, int n, struct sym_loc *out)
{
	Dwarf_Attribute a;
	Dwarf_Files *files = NULL;
	const char *compdir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &a));
	size_t nfiles = 0;
	int i;

	dwarf_getsrcfiles(cu, &files, &nfiles);
	for (i = 0; i < n; i++) {
		int tag = dwarf_tag(&chain[i]);
		const char *name = sym_die_name(&chain[i]);
		Dwarf_Word fi, ln;

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		if (tag == DW_TAG_inlined_subroutine && name && sym_alloc_inside(name) &&
		    files && dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_file, &a), &fi) == 0 &&
		    dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_line, &a), &ln) == 0 &&
		    fi < nfiles) {
			const char *f = dwarf_filesrc(files, fi, NULL, NULL);

			if (f) {
				set_path(out->file, sizeof(out->file), f, compdir);
				out->line = (int)ln;
			}
			continue;
		}
		if (name) {
			const char *df = dwarf_decl_file(&chain[i]);
			int dl = 0;

			snprintf(out->scope, sizeof(out->scope), "%s", name);
			if (df)
				set_path(out->scope_file, sizeof(out->scope_file), df, compdir);
			if (dwarf_decl_line(&chain[i], &dl) == 0)
				out->scope_line = dl;
		}
		break;
	}
}

/* Walk out of inlined allocator helpers to the line in the caller that allocates. */
static void scopes(Dwfl_Module *mod, Dwarf_Addr pc, struct sym_loc *out)
{
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(mod, pc, &bias), *sc = NULL, *chain = NULL;
	int n;

	if (!cu)
		return;
	/*
	 * dwarf_getscopes() follows an inlined instance with its abstract
	 * origin's scopes; the chain of the innermost scope's parents is
	 * where each instance sits, out to the CU.
	 */
	if (dwarf_getscopes(cu, pc - bias, &sc) > 0 &&
	    (n = dwarf_getscopes_die(&sc[0], &chain)) > 0)
		sym_walk_out(cu, chain, n, out);
	free(chain);
	free(sc);
}

int sym_locate(struct sym_obj *o, GElf_Addr addr, bool exact, struct sym_loc *out)
{
	Dwarf_Addr pc = exact || !addr ? addr : addr - 1;
	Dwfl_Line *l = dwfl_module_getsrc(o->mod, pc);
	const char *file;
	int line = 0;

	if (!l)
		return -ENODATA;
	file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
	if (file) {
		snprintf(out->file, sizeof(out->file), "%s", file);
		out->line = line;
	}
	scopes(o->mod, pc, out);
	return out->file[0] ? 0 : -ENODATA;
}

/* sym_resolve() that also gives the libdwfl address of @symoff in *@pc (0 when unknown). */
static int resolve(struct sym *s, const char *module, const char *symoff, bool exact,
		   struct sym_loc *out, GElf_Addr *pc)
{
	char name[KREPORT_SYM_MAX];
	unsigned long long off = 0, size = 0;
	const char *plus = strchr(symoff, '+');
	struct sym_obj *o;
	GElf_Addr addr;
	size_t n;
	int err;

	memset(out, 0, sizeof(*out));
	*pc = 0;
	if (!plus || plus == symoff || sscanf(plus, "+0x%llx/0x%llx", &off, &size) < 1)
		return -EINVAL;
	n = (size_t)(plus - symoff);
	if (n >= sizeof(name))
		return -EINVAL;
	memcpy(name, symoff, n);
	name[n] = 0;
	snprintf(out->func, sizeof(out->func), "%.*s", (int)strcspn(name, "."), name);
	snprintf(out->module, sizeof(out->module), "%s", module ? module : "");
	err = sym_obj_get(s, module, &o);
	if (err)
		return err;
	err = lookup(o, name, size, &addr);
	if (err)
		return err;
	*pc = addr + off;
	return sym_locate(o, addr + off, exact || !off, out);
}

int sym_resolve(struct sym *s, const char *module, const char *symoff, bool exact,
		struct sym_loc *out)
{
	GElf_Addr pc;

	return resolve(s, module, symoff, exact, out, &pc);
}

int sym_resolve_pc(struct sym *s, const char *module, const char *symoff, struct sym_loc *out,
		   GElf_Addr *pc)
{
	int err = resolve(s, module, symoff, false, out, pc);

	return err == 0 && !*pc ? -ESRCH : err;
}

int sym_obj_section(struct sym_obj *o, const char *want, GElf_Addr *addr, GElf_Xword *size)
{
	Dwarf_Addr bias;
	Elf *elf = dwfl_module_getelf(o->mod, &bias);
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		return -ENODATA;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, want)) {
			*addr = sh.sh_addr + bias;
			if (size)
				*size = sh.sh_size;
			return 0;
		}
	}
	return -ENODATA;
}

int sym_resolve_addr(struct sym *s, const char *module, uint64_t base, uint64_t addr,
		     bool exact, struct sym_loc *out)
{
	struct sym_obj *o;
	const char *name;
	GElf_Addr a = addr, text;
	GElf_Off off;
	GElf_Sym es;
	int err;

	memset(out, 0, sizeof(*out));
	snprintf(out->module, sizeof(out->module), "%s", module ? module : "");
	err = sym_obj_get(s, module, &o);
	if (err)
		return err;
	if (module && *module) {
		if (addr < base)
			return -EINVAL;
		/* where a module's runtime .text base maps to */
		err = sym_obj_section(o, ".text", &text, NULL);
		if (err)
			return err;
		a = text + (addr - base);
	}
	name = dwfl_module_addrinfo(o->mod, exact ? a : a - 1, &off, &es, NULL, NULL, NULL);
	if (!name)
		return -ESRCH;
	snprintf(out->func, sizeof(out->func), "%.*s", (int)strcspn(name, "."), name);
	return sym_locate(o, a, exact, out);
}

static void obj_free(struct sym_obj *o)
{
	if (o->dwfl)
		dwfl_end(o->dwfl);
	free(o->syms);
	free(o->path);
}

void sym_free(struct sym *s)
{
	size_t i;

	if (!s)
		return;
	obj_free(&s->vmlinux);
	for (i = 0; i < s->nmods; i++)
		obj_free(&s->mods[i]);
	free(s->mods);
	free(s);
}
