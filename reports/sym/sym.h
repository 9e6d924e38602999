/*
 * Kernel symbolization with elfutils libdw: "func+0xoff" as a stack dump
 * prints it (or a bare address) to function, source file:line and module,
 * against vmlinux and module .ko files.
 *
 * vmlinux is read at its link addresses: the test kernel has no KASLR, so
 * they are the runtime addresses. A .ko (ET_REL) is laid out by libdwfl;
 * a symbol+offset needs no load address, a bare address in a module needs
 * the module's runtime .text base (sym_resolve_addr()).
 *
 * For a return address (a stack frame past the first) the location is that
 * of the call instruction. Allocator helpers inlined into the caller
 * (kmalloc(), kzalloc(), ...: sym_alloc_inside()) are looked through, so
 * the line is the caller's line that allocates, not slab.h's.
 */
#ifndef FS_SYM_H
#define FS_SYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "klog/kreport.h"

#define SYM_PATH_MAX 512

struct sym_loc {
	char func[KREPORT_SYM_MAX];	/* the symbol's function, compiler suffix dropped */
	char module[KREPORT_MOD_MAX];	/* "" for vmlinux */
	char file[SYM_PATH_MAX];	/* source file, "" when unknown */
	int line;			/* 0 when unknown */
	/* The function whose body holds file:line (an inlined one, maybe) and its start. */
	char scope[KREPORT_SYM_MAX];
	char scope_file[SYM_PATH_MAX];
	int scope_line;
};

struct sym;

/** sym_new() - a symbolizer with no files yet. 0 or -ENOMEM. */
int sym_new(struct sym **sp);

/**
 * sym_set_vmlinux() - symbolize vmlinux frames against @path (checked
 * now: -errno when it cannot be opened, -ENOEXEC when it is no ELF).
 */
int sym_set_vmlinux(struct sym *s, const char *path);

/**
 * sym_add_modules() - a .ko file, or a directory searched (3 levels deep)
 * for *.ko files; a module is found by its name with '-' read as '_'.
 * Returns the number of .ko files added, or -errno.
 */
int sym_add_modules(struct sym *s, const char *path);

/**
 * sym_resolve() - symbolize @symoff ("func+0x6a/0x8a0", as printed) in
 * @module ("" for vmlinux), a return address unless @exact.
 *
 * Return: 0 with @out filled; -ENOENT no file for @module (or no vmlinux),
 * -ESRCH no such symbol there, -ENODATA the symbol is there but has no line
 * information (@out holds what is known), -EINVAL @symoff unparsable.
 */
int sym_resolve(struct sym *s, const char *module, const char *symoff, bool exact,
		struct sym_loc *out);

/**
 * sym_resolve_addr() - symbolize the runtime address @addr: in vmlinux
 * when @module is "", else in @module whose .text was loaded at @base (as
 * a "module" journal record gives it). Same returns as sym_resolve().
 */
int sym_resolve_addr(struct sym *s, const char *module, uint64_t base, uint64_t addr,
		     bool exact, struct sym_loc *out);

/** sym_module_path() - the .ko file that serves @module, or NULL. */
const char *sym_module_path(struct sym *s, const char *module);

/** sym_free() - NULL is fine. */
void sym_free(struct sym *s);

#endif
