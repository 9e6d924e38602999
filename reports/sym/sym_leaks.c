/*
 * Names the leaks of unloaded modules: the runner journals a kmemleak frame
 * it could only place as "memory leak in .text+0xOFF [MODULE]" (the module
 * was unloaded before the scan; runner/capture/kleak.c, from the load address the
 * workers announced), and with the module's .ko this becomes the function,
 * "memory leak in planted_init [fs_planted]", before any report is made.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/sym/sym.h"
#include "reports/sym/sym_leaks.h"

#define PREFIX "memory leak in .text+0x"

/* Parse "memory leak in .text+0xOFF [MODULE]". */
static bool unplaced(const char *title, uint64_t *off, char *mod, size_t len)
{
	const char *p, *e;
	char *end;

	if (strncmp(title, PREFIX, strlen(PREFIX)))
		return false;
	p = title + strlen(PREFIX);
	*off = strtoull(p, &end, 16);
	if (end == p || strncmp(end, " [", 2))
		return false;
	p = end + 2;
	e = strchr(p, ']');
	if (!e || e == p || e[1] || (size_t)(e - p) >= len)
		return false;
	memcpy(mod, p, e - p);
	mod[e - p] = 0;
	return true;
}

static int rename_one(struct jread_journal *j, struct sym **s, const char *const *modules,
		      size_t nmodules, struct jread_report *r)
{
	char mod[KREPORT_MOD_MAX], *title, **o;
	struct sym_loc loc;
	uint64_t off;
	size_t i;
	int err;

	if (strcmp(r->kind, "memory-leak") || !unplaced(r->title, &off, mod, sizeof(mod)))
		return 0;
	if (!*s) {
		err = sym_new(s);
		if (err)
			return err;
		for (i = 0; i < nmodules; i++)
			sym_add_modules(*s, modules[i]);
	}
	/* An offset into .text is an address with .text loaded at 0. */
	if (sym_resolve_addr(*s, mod, 0, off, false, &loc) || !*loc.func)
		return 0;
	if (asprintf(&title, "memory leak in %s [%s]", loc.func, mod) < 0)
		return -ENOMEM;
	o = realloc(j->owned, (j->nowned + 1) * sizeof(*o));
	if (!o) {
		free(title);
		return -ENOMEM;
	}
	j->owned = o;
	j->owned[j->nowned++] = title;
	r->title = title;
	return 1;
}

int sym_name_unloaded_leaks(struct jread_journal *j, const char *const *modules, size_t nmodules)
{
	struct sym *s = NULL;
	int n = 0, err = 0;
	size_t i, k;

	for (i = 0; i < j->nsteps && err >= 0; i++)
		for (k = 0; k < j->steps[i].nreports && err >= 0; k++)
			if ((err = rename_one(j, &s, modules, nmodules, &j->steps[i].reports[k])) > 0)
				n++;
	for (i = 0; i < j->norphans && err >= 0; i++)
		if ((err = rename_one(j, &s, modules, nmodules, &j->orphans[i])) > 0)
			n++;
	if (s)
		sym_free(s);
	return err < 0 ? err : n;
}
