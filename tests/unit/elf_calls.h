/*
 * For the coverage tests: where a relocatable object (a .ko, a -c object)
 * calls a function, read from its relocations, so a fixture journal can
 * name a stack frame "func+0xOFF" without knowing what the compiler made.
 */
#ifndef FS_ELF_CALLS_H
#define FS_ELF_CALLS_H

#include <fcntl.h>
#include <gelf.h>
#include <string.h>
#include <unistd.h>

/* The value and size of symbol @name in @e, or -1. */
static inline long elf_sym(Elf *e, const char *name, long *size)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t i;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		d = elf_getdata(scn, NULL);
		for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;

			gelf_getsym(d, i, &s);
			if (!strcmp(elf_strptr(e, sh.sh_link, s.st_name), name)) {
				if (size)
					*size = (long)s.st_size;
				return (long)s.st_value;
			}
		}
	}
	return -1;
}

/*
 * The return addresses, as offsets into @func, of @func's calls to
 * @target in the .text of the relocatable object @path: up to @max of
 * them, in address order. Returns how many, or -1. *@size gets @func's size.
 */
static inline int elf_calls(const char *path, const char *func, const char *target,
			    long *out, int max, long *size)
{
	int fd = open(path, O_RDONLY), n = 0;
	Elf *e;
	Elf_Scn *scn = NULL;
	long start, fsize = 0;
	size_t shstr;

	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_getshdrstrndx(e, &shstr) || (start = elf_sym(e, func, &fsize)) < 0) {
		if (e)
			elf_end(e);
		close(fd);
		return -1;
	}
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh, symsh;
		Elf_Data *d, *symd;
		size_t i;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_RELA || strcmp(elf_strptr(e, shstr, sh.sh_name), ".rela.text"))
			continue;
		d = elf_getdata(scn, NULL);
		gelf_getshdr(elf_getscn(e, sh.sh_link), &symsh);
		symd = elf_getdata(elf_getscn(e, sh.sh_link), NULL);
		for (i = 0; i < sh.sh_size / sh.sh_entsize && n < max; i++) {
			GElf_Rela r;
			GElf_Sym s;

			gelf_getrela(d, i, &r);
			gelf_getsym(symd, GELF_R_SYM(r.r_info), &s);
			if (strcmp(elf_strptr(e, symsh.sh_link, s.st_name), target) ||
			    (long)r.r_offset < start || (long)r.r_offset >= start + fsize)
				continue;
			out[n++] = (long)r.r_offset + 4 - start;
		}
	}
	elf_end(e);
	close(fd);
	if (size)
		*size = fsize;
	return n;
}

#endif
