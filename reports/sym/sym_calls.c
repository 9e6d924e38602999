/* What the DWARF says about one call: its callee, its return address, a constant gfp argument. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/sym/sym_obj.h"
#include "reports/sym/sym_sites.h"

#define MAX_DEPTH 128

const char *sym_die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;

	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &a));
}

bool sym_die_ref(Dwarf_Die *die, unsigned name, Dwarf_Die *out)
{
	Dwarf_Attribute a;

	return dwarf_attr(die, name, &a) && dwarf_formref_die(&a, out);
}

bool sym_call_origin(Dwarf_Die *cs, Dwarf_Die *out)
{
	return sym_die_ref(cs, DW_AT_call_origin, out) || sym_die_ref(cs, DW_AT_abstract_origin, out);
}

bool sym_is_call(int tag)
{
	return tag == DW_TAG_call_site || tag == DW_TAG_GNU_call_site;
}

bool sym_return_pc(Dwarf_Die *cs, Dwarf_Addr *pc)
{
	Dwarf_Attribute a;

	if (dwarf_attr(cs, DW_AT_call_return_pc, &a))
		return dwarf_formaddr(&a, pc) == 0;
	if (dwarf_tag(cs) == DW_TAG_GNU_call_site && dwarf_attr(cs, DW_AT_low_pc, &a))
		return dwarf_formaddr(&a, pc) == 0;
	return false;
}

/* The value of a DWARF expression that is a constant (lit, const, maybe stack_value). */
static bool expr_const(const Dwarf_Op *ops, size_t n, uint64_t *v)
{
	if (n == 2 && ops[1].atom == DW_OP_stack_value)
		n = 1;
	if (n != 1)
		return false;
	if (ops[0].atom >= DW_OP_lit0 && ops[0].atom <= DW_OP_lit31) {
		*v = ops[0].atom - DW_OP_lit0;
		return true;
	}
	switch (ops[0].atom) {
	case DW_OP_const1u: case DW_OP_const2u: case DW_OP_const4u: case DW_OP_const8u:
	case DW_OP_constu: case DW_OP_const1s: case DW_OP_const2s: case DW_OP_const4s:
	case DW_OP_const8s: case DW_OP_consts:
		*v = ops[0].number;
		return true;
	}
	return false;
}

static bool is_gfp_type(Dwarf_Die *param)
{
	Dwarf_Die t;
	Dwarf_Attribute a;
	const char *n;

	if (!dwarf_attr_integrate(param, DW_AT_type, &a) || !dwarf_formref_die(&a, &t))
		return false;
	/* gfp_t, maybe behind a const */
	if (dwarf_tag(&t) == DW_TAG_const_type &&
	    (!dwarf_attr(&t, DW_AT_type, &a) || !dwarf_formref_die(&a, &t)))
		return false;
	n = sym_die_name(&t);
	return dwarf_tag(&t) == DW_TAG_typedef && n && !strcmp(n, "gfp_t");
}

/* The DWARF register of argument @i in the calling convention of @machine, or -1. */
static int arg_reg(int machine, int i)
{
	static const int x86_64[] = { 5, 4, 1, 2, 8, 9 };	/* rdi rsi rdx rcx r8 r9 */

	if (machine == EM_X86_64 && i < 6)
		return x86_64[i];
	if (machine == EM_AARCH64 && i < 8)
		return i;				/* x0..x7 */
	return -1;
}

bool sym_call_gfp(int machine, Dwarf_Die *cs, Dwarf_Die *callee, uint64_t *gfp)
{
	Dwarf_Die p;
	int i = 0, reg = -1;

	if (dwarf_child(callee, &p) == 0) {
		do {
			if (dwarf_tag(&p) != DW_TAG_formal_parameter)
				continue;
			if (is_gfp_type(&p)) {
				reg = arg_reg(machine, i);
				break;
			}
			i++;
		} while (dwarf_siblingof(&p, &p) == 0);
	}
	if (reg < 0 || dwarf_child(cs, &p))
		return false;
	do {
		Dwarf_Attribute a;
		Dwarf_Op *ops;
		size_t n;
		int tag = dwarf_tag(&p);

		if (tag != DW_TAG_call_site_parameter && tag != DW_TAG_GNU_call_site_parameter)
			continue;
		if (!dwarf_attr(&p, DW_AT_location, &a) || dwarf_getlocation(&a, &ops, &n) ||
		    n != 1 || !((ops[0].atom == DW_OP_reg0 + reg) ||
				(ops[0].atom == DW_OP_regx && ops[0].number == (Dwarf_Word)reg)))
			continue;
		if (!dwarf_attr(&p, DW_AT_call_value, &a) &&
		    !dwarf_attr(&p, DW_AT_GNU_call_site_value, &a))
			return false;
		return dwarf_getlocation(&a, &ops, &n) == 0 && expr_const(ops, n, gfp);
	} while (dwarf_siblingof(&p, &p) == 0);
	return false;
}

bool sym_inline_gfp(Dwarf_Die *in, uint64_t *gfp)
{
	Dwarf_Die p;

	if (dwarf_child(in, &p))
		return false;
	do {
		Dwarf_Attribute a;
		Dwarf_Word w;
		Dwarf_Addr base, start, end;
		Dwarf_Op *ops;
		size_t n;
		ptrdiff_t off = 0;
		bool seen = false;
		uint64_t v = 0, v1;

		if (dwarf_tag(&p) != DW_TAG_formal_parameter || !is_gfp_type(&p))
			continue;
		if (dwarf_attr(&p, DW_AT_const_value, &a))
			return dwarf_formudata(&a, &w) == 0 && (*gfp = w, true);
		if (!dwarf_attr(&p, DW_AT_location, &a))
			return false;
		while ((off = dwarf_getlocations(&a, off, &base, &start, &end, &ops, &n)) > 0) {
			if (!expr_const(ops, n, &v1) || (seen && v1 != v))
				return false;
			v = v1;
			seen = true;
		}
		if (seen)
			*gfp = v;
		return seen;
	} while (dwarf_siblingof(&p, &p) == 0);
	return false;
}

/* The call site DIE among the children of @scope (recursively through blocks) returning to @pc. */
static bool find_call(Dwarf_Die *scope, Dwarf_Addr pc, Dwarf_Die *out, int depth)
{
	Dwarf_Die c;
	Dwarf_Addr r;

	if (depth > MAX_DEPTH || dwarf_child(scope, &c))
		return false;
	do {
		int tag = dwarf_tag(&c);

		if (sym_is_call(tag) && sym_return_pc(&c, &r) && r == pc) {
			*out = c;
			return true;
		}
		if ((tag == DW_TAG_lexical_block || tag == DW_TAG_inlined_subroutine) &&
		    find_call(&c, pc, out, depth + 1))
			return true;
	} while (dwarf_siblingof(&c, &c) == 0);
	return false;
}

int sym_call_target(struct sym *s, const char *module, const char *symoff, char *callee,
		    size_t len)
{
	struct sym_loc loc;
	struct sym_obj *o;
	Dwarf_Die *cu, *sc = NULL, cs, origin;
	Dwarf_Addr bias, pc;
	const char *name;
	int err, n, i;
	bool found = false;

	*callee = 0;
	err = sym_resolve_pc(s, module, symoff, &loc, &pc);
	if (err && err != -ENODATA)
		return err;
	o = sym_find_obj(s, module);
	cu = dwfl_module_addrdie(o->mod, pc - 1, &bias);
	if (!cu)
		return -ESRCH;
	n = dwarf_getscopes(cu, pc - 1 - bias, &sc);
	for (i = 0; i < n && !found; i++)
		found = find_call(&sc[i], pc - bias, &cs, 0);
	free(sc);
	if (!found || !sym_call_origin(&cs, &origin) || !(name = sym_die_name(&origin)))
		return -ESRCH;
	snprintf(callee, len, "%s", name);
	return 0;
}
