/*
 * What reports/sym/ files share inside the room (not for other rooms): one
 * opened ELF file and the lookups sym.c makes on it, so the allocation-site
 * scan (sym_sites.c) places a call exactly as a stack frame is placed.
 */
#ifndef FS_SYM_OBJ_H
#define FS_SYM_OBJ_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stdint.h>

#include "klog/kreport.h"

struct sym_loc;

struct sym_fsym {
	const char *name;	/* points into the ELF's string table */
	GElf_Addr addr;
	GElf_Xword size;
};

/* One ELF file: vmlinux or a .ko, opened on first use. */
struct sym_obj {
	char name[KREPORT_MOD_MAX];	/* "" for vmlinux; '-' read as '_' */
	char *path;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	struct sym_fsym *syms;		/* functions sorted by name */
	size_t nsyms;
	bool tried;			/* opened, or failed to */
};

struct sym {
	struct sym_obj vmlinux;
	struct sym_obj *mods;
	size_t nmods;
};

/* Open @o on first use (libdwfl, its function symbols sorted). 0, -ENOENT or -ENOMEM. */
int sym_obj_open(struct sym_obj *o);

/* The file that serves @module ("" or NULL: vmlinux), or NULL. */
struct sym_obj *sym_find_obj(struct sym *s, const char *module);

/* The libdwfl address (and size, when @size) of @o's section @name. 0 or -ENODATA. */
int sym_obj_section(struct sym_obj *o, const char *name, GElf_Addr *addr, GElf_Xword *size);

/* sym_find_obj(), opened: 0, -ENOENT (no file, or it cannot be read) or -ENOMEM. */
int sym_obj_get(struct sym *s, const char *module, struct sym_obj **o);

/*
 * @addr (a libdwfl address of @o) to file:line and the function holding it,
 * walking out of inlined allocator helpers; a return address unless @exact.
 * 0, or -ENODATA when there is no line information.
 */
int sym_locate(struct sym_obj *o, GElf_Addr addr, bool exact, struct sym_loc *out);

/*
 * sym_walk_out() - from the innermost scope DIE @chain[0] out through its
 * parents (@n of them, to @cu): walk out of inlined allocator helpers
 * (their call file:line replaces @out's), and name the first other
 * function in @out->scope with where it starts.
 */
void sym_walk_out(Dwarf_Die *cu, Dwarf_Die *chain, int n, struct sym_loc *out);

/*
 * sym_resolve() of the return address @symoff, with its libdwfl address in
 * *@pc. 0 or -ENODATA (no line, *@pc set), or sym_resolve()'s errors.
 */
int sym_resolve_pc(struct sym *s, const char *module, const char *symoff, struct sym_loc *out,
		   GElf_Addr *pc);

/* reports/sym/sym_calls.c: DWARF call sites and what they pass. */

/* The name of @die, through its abstract origin or specification; NULL when none. */
const char *sym_die_name(Dwarf_Die *die);

/* The DIE the reference attribute @name of @die points to, in *@out. */
bool sym_die_ref(Dwarf_Die *die, unsigned name, Dwarf_Die *out);

/* @tag is a call site (DWARF 5's or the GNU extension's). */
bool sym_is_call(int tag);

/* The callee of the call site @cs (a direct call), in *@out. */
bool sym_call_origin(Dwarf_Die *cs, Dwarf_Die *out);

/* The return address of the call site @cs (a DWARF address, before the module's bias). */
bool sym_return_pc(Dwarf_Die *cs, Dwarf_Addr *pc);

/*
 * A constant gfp_t argument of the call site @cs to @callee: the callee's
 * parameter of type gfp_t, passed in a register of @machine's calling
 * convention (x86-64, arm64) whose DW_AT_call_value is a constant.
 */
bool sym_call_gfp(int machine, Dwarf_Die *cs, Dwarf_Die *callee, uint64_t *gfp);

/* A constant gfp_t parameter of the inlined instance @in: one value wherever it is live. */
bool sym_inline_gfp(Dwarf_Die *in, uint64_t *gfp);

#endif
