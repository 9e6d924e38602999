/* `run`'s program scenarios: corpus `exec` scenarios and module exercises, swept by the exec engine. */
#ifndef FS_RUN_SCN_H
#define FS_RUN_SCN_H

#include <stdbool.h>

#include "runner/exec/exec.h"
#include "runner/corpus/scenario.h"

struct run_opts;

/* What the scenarios came to, for the run's exit code and summary. */
struct run_scn_result {
	unsigned swept, skipped, steps, fails, broks;
};

/**
 * run_scn_exercise() - add @ro's `--exercise CMD` (faultsweep module) to
 * @sl as a scenario of the module @ro->module_ko. 0, or -EINVAL after a
 * message (bad words).
 */
int run_scn_exercise(const struct run_opts *ro, struct fs_scenario_list *sl);

/**
 * run_scn_check() - every scenario's syscall list names syscalls of this
 * architecture; else a message naming the corpus file:line and -EINVAL.
 */
int run_scn_check(const struct fs_scenario_list *sl);

/**
 * run_scn_sweep() - sweep every runnable scenario of @sl that has a
 * program (exec, or a module's exercise with the module loaded by its
 * setup and unloaded by its cleanup) with exec_sweep() into @ctx. With
 * @resume_journal (run --resume), each goes on where that journal stopped.
 * A sweep that cannot start is journaled as a note and counted BROK.
 * Returns 0.
 */
int run_scn_sweep(const struct fs_scenario_list *sl, const struct run_opts *ro, bool sites,
		  const struct fs_exec_ctx *ctx, const char *resume_journal,
		  struct run_scn_result *r);

#endif
