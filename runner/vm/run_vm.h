/*
 * A command that re-runs itself inside the test VM (`run --vm`, `exec
 * --vm`, `module --vm`): the host side, which boots the kernel, survives
 * its death and resumes, then makes the reports (runner/vm/run_vm.c).
 */
#ifndef FS_RUN_VM_H
#define FS_RUN_VM_H

#include <stdbool.h>

/* What run_vm_self() needs of a command that re-runs itself in the test VM. */
struct run_vm_self {
	const char *cmd;        /* the subcommand: "run", "exec" */
	const char *kernel;     /* bzImage, NULL: the cached build */
	const char *out;        /* the host's results directory */
	unsigned timeout_s;     /* per step: the VM is stuck after 4x this + 60 s without journal growth */
	bool quiet, panic_on_warn, panic_on_oops;
	bool no_report;         /* no reports on the host at the end */
	bool resume;            /* after a dead kernel, boot again with --resume (the command has it) */
};

/**
 * run_vm_host_arg() - whether @argv[*@i] is an option only the host side of
 * --vm takes (--vm, --kernel, --out, --panic-on-*); for one with a value,
 * *@i moves past the value. run_vm_self() passes the others in.
 */
bool run_vm_host_arg(char **argv, int *i);

/**
 * run_vm_self() - boot the test kernel and run `faultsweep CMD --out OUT
 * --no-report ARGV...` inside (@argv: the command's arguments without the
 * VM ones, "--" and what follows included), journal a dead kernel's step
 * in flight (runner/vm/vmresume.h) and, with @so->resume, boot again with
 * --resume; then make the reports from OUT's journal. Returns the exit code.
 */
int run_vm_self(const struct run_vm_self *so, int argc, char **argv);

#endif
