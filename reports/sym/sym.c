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

#include "klog/fidump.h"
#include "reports/sym/sym.h"

struct fsym {
	const char *name;	/* points into the ELF's string table */
	GElf_Addr addr;
	GElf_Xword size;
};

/* One ELF file: vmlinux or a .ko, opened on first use. */
struct obj {
	char name[KREPORT_MOD_MAX];	/* "" for vmlinux; '-' read as '_' */
	char *path;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	struct fsym *syms;		/* functions sorted by name */
	size_t nsyms;
	bool tried;			/* opened, or failed to */
};

struct sym {
	struct obj vmlinux;
	struct obj *mods;
	size_t nmods;
};

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
	struct obj *m;
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
	return strcmp(((const struct fsym *)a)->name, ((const struct fsym *)b)->name);
}

static int obj_open(struct obj *o)
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

static struct obj *find_obj(struct sym *s, const char *module)
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

const char *sym_module_path(struct sym *s, const char *module)
{
	struct obj *o = find_obj(s, module);

	return o ? o->path : NULL;
}

/*
 * The address of @name: among static functions of the same name, the one
 * whose size is closest to the size the kernel printed (kallsyms' size runs
 * to the next symbol, so it may exceed st_size by the alignment padding).
 */
static int lookup(const struct obj *o, const char *name, uint64_t size, GElf_Addr *addr)
{
	struct fsym key = { .name = name };
	const struct fsym *hit = bsearch(&key, o->syms, o->nsyms, sizeof(*o->syms), cmp_sym);
	const struct fsym *p, *best = NULL;
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

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;

	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &a));
}

/* Walk out of inlined allocator helpers to the line in the caller that allocates. */
static void scopes(Dwfl_Module *mod, Dwarf_Addr pc, struct sym_loc *out)
{
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(mod, pc, &bias), *sc = NULL;
	Dwarf_Attribute a;
	Dwarf_Files *files = NULL;
	const char *compdir;
	size_t nfiles = 0;
	int i, n;

	if (!cu)
		return;
	compdir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &a));
	dwarf_getsrcfiles(cu, &files, &nfiles);
	n = dwarf_getscopes(cu, pc - bias, &sc);
	for (i = 0; i < n;) {
		int tag = dwarf_tag(&sc[i]);
		const char *name = die_name(&sc[i]);
		Dwarf_Word fi, ln;

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram) {
			i++;
			continue;
		}
		if (tag == DW_TAG_inlined_subroutine && name && fidump_is_machinery(name) &&
		    files && dwarf_formudata(dwarf_attr(&sc[i], DW_AT_call_file, &a), &fi) == 0 &&
		    dwarf_formudata(dwarf_attr(&sc[i], DW_AT_call_line, &a), &ln) == 0 &&
		    fi < nfiles) {
			const char *f = dwarf_filesrc(files, fi, NULL, NULL);
			Dwarf_Die *outer = NULL;

			if (f) {
				set_path(out->file, sizeof(out->file), f, compdir);
				out->line = (int)ln;
			}
			/*
			 * What follows an inlined instance in sc[] are its abstract
			 * origin's scopes; the caller is where the instance sits.
			 */
			n = dwarf_getscopes_die(&sc[i], &outer);
			free(sc);
			sc = outer;
			i = 1;
			continue;
		}
		if (name) {
			const char *df = dwarf_decl_file(&sc[i]);
			int dl = 0;

			snprintf(out->scope, sizeof(out->scope), "%s", name);
			if (df)
				set_path(out->scope_file, sizeof(out->scope_file), df, compdir);
			if (dwarf_decl_line(&sc[i], &dl) == 0)
				out->scope_line = dl;
		}
		break;
	}
	free(sc);
}

static int locate(struct obj *o, GElf_Addr addr, bool exact, struct sym_loc *out)
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

int sym_resolve(struct sym *s, const char *module, const char *symoff, bool exact,
		struct sym_loc *out)
{
	char name[KREPORT_SYM_MAX];
	unsigned long long off = 0, size = 0;
	const char *plus = strchr(symoff, '+');
	struct obj *o;
	GElf_Addr addr;
	size_t n;
	int err;

	memset(out, 0, sizeof(*out));
	if (!plus || plus == symoff || sscanf(plus, "+0x%llx/0x%llx", &off, &size) < 1)
		return -EINVAL;
	n = (size_t)(plus - symoff);
	if (n >= sizeof(name))
		return -EINVAL;
	memcpy(name, symoff, n);
	name[n] = 0;
	snprintf(out->func, sizeof(out->func), "%.*s", (int)strcspn(name, "."), name);
	snprintf(out->module, sizeof(out->module), "%s", module ? module : "");
	o = find_obj(s, module);
	if (!o)
		return -ENOENT;
	err = obj_open(o);
	if (err)
		return err;
	err = lookup(o, name, size, &addr);
	if (err)
		return err;
	return locate(o, addr + off, exact || !off, out);
}

/* The libdwfl address of @o's .text: where a module's runtime .text base maps to. */
static int text_addr(struct obj *o, GElf_Addr *addr)
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
		if (name && !strcmp(name, ".text")) {
			*addr = sh.sh_addr + bias;
			return 0;
		}
	}
	return -ENODATA;
}

int sym_resolve_addr(struct sym *s, const char *module, uint64_t base, uint64_t addr,
		     bool exact, struct sym_loc *out)
{
	struct obj *o = find_obj(s, module);
	const char *name;
	GElf_Addr a = addr, text;
	GElf_Off off;
	GElf_Sym es;
	int err;

	memset(out, 0, sizeof(*out));
	snprintf(out->module, sizeof(out->module), "%s", module ? module : "");
	if (!o)
		return -ENOENT;
	err = obj_open(o);
	if (err)
		return err;
	if (module && *module) {
		if (addr < base)
			return -EINVAL;
		err = text_addr(o, &text);
		if (err)
			return err;
		a = text + (addr - base);
	}
	name = dwfl_module_addrinfo(o->mod, exact ? a : a - 1, &off, &es, NULL, NULL, NULL);
	if (!name)
		return -ESRCH;
	snprintf(out->func, sizeof(out->func), "%.*s", (int)strcspn(name, "."), name);
	return locate(o, a, exact, out);
}

static void obj_free(struct obj *o)
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
