/*
 * Cases made at run time for a kernel module (`faultsweep module`, corpus
 * `module` scenarios): <base>_load sweeps finit_module(2) of the .ko, scoped
 * to the module's own fault points where the kernel can (fail-nth-module),
 * and <base>_unload sweeps delete_module(2). docs/drivers.md.
 */
#ifndef FS_MODCASE_H
#define FS_MODCASE_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/harness.h"

struct fs_modcase_spec {
	const char *ko;         /* path of the .ko (made absolute) */
	const char *params;     /* module parameters, "" for none */
	const char *base;       /* case name prefix; NULL: "module_<name>" */
	const char *area;       /* NULL: "module" */
	bool no_scope;          /* sweep the whole load even where fail-nth-module exists */
	bool check_release;     /* compare the vermagic with the running kernel */
};

/**
 * modcase_register() - read @sp->ko's .modinfo, check its vermagic (when
 * asked), and register the load and unload cases. Their names go to
 * @names[0..1] (each @nlen bytes). Returns 0, -EPROTO (built for another
 * kernel), -ENOENT/-ENOEXEC (no such file, not a module), -EINVAL (a bad
 * name or parameters) or -EEXIST, with one message in @why.
 */
int modcase_register(const struct fs_modcase_spec *sp, char names[2][96], size_t nlen,
		     char *why, size_t len);

struct journal;

/**
 * modcase_journal() - when @h is a module case, journal its "modcase"
 * record (the .ko, module name, parameters, load/unload, and @scoped: N
 * counted only the module's points), which reproducers are made from.
 */
void modcase_journal(struct journal *j, const char *run_id, const struct fs_harness *h,
		     bool scoped);

/**
 * modcase_from_env() - register again the cases the run passed in
 * $FAULTSWEEP_MODCASES (an exec'd `__worker` does not inherit them).
 */
void modcase_from_env(void);

#endif
