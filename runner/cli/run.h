/* `faultsweep run`, split by responsibility: options (run_opts.c), the selection (run_select.c), the sweep (cmd_run.c; --vm: runner/vm/run_vm.h). */
#ifndef FS_RUN_H
#define FS_RUN_H

#include <stdbool.h>

/* Where the coverage map's site records come from (docs/coverage.md). */
enum run_coverage {
	RUN_COV_AUTO,   /* fail-nth-site when the kernel has it, else none (the default) */
	RUN_COV_ON,     /* --coverage: fail-nth-site, else the stack dumps */
	RUN_COV_DUMPS,  /* --fault-dumps: the stack dumps even with fail-nth-site */
	RUN_COV_OFF,    /* --no-coverage */
};

struct run_opts {
	bool vm, resume, quiet, retry, no_report, panic_on_warn, panic_on_oops, kmemleak;
	enum run_coverage coverage;
	unsigned kleak_every;
	const char *kernel, *out, *corpus, *faults_s;
	const char *module_ko, *module_params;	/* --module: `faultsweep module` (docs/drivers.md) */
	const char *exercise;	/* --exercise CMD: swept like exec while the module is loaded */
	const char *syscalls;	/* --syscalls LIST: what the exercise traps (exec_sys_parse()) */
	bool no_module_scope;
	unsigned jobs, timeout_s, max_nth, faults;
	double duration_s;
	char **patterns;
	int npatterns;
};

/**
 * run_parse() - parse `faultsweep run` options into @ro. Returns 0, 1 when
 * --help was printed, or -EINVAL after a message naming the option.
 */
int run_parse(int argc, char **argv, struct run_opts *ro);

struct sup_case;
struct fs_scenario_list;

/**
 * run_select() - the cases @ro selects: its patterns, its --module, or the
 * corpus (whose module scenarios are registered as cases; all scenarios go
 * to @sl). Every pattern must match a case. 0, -ENOENT (no match, nearest
 * names printed), -EINVAL (corpus syntax, bad module) or -errno.
 */
int run_select(const struct run_opts *ro, struct sup_case **out, size_t *nout,
	       struct fs_scenario_list *sl);

/** run_defaults() - @ro as `run` without options. */
void run_defaults(struct run_opts *ro);

/** cmd_run_parsed() - `run` after run_parse(): @argv as parsed (for --vm). */
int cmd_run_parsed(struct run_opts *ro, int argc, char **argv);

#endif
