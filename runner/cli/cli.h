/*
 * The faultsweep commands: one table (git's commands[]) from which main()
 * dispatches and `faultsweep --help` is printed, and each command's entry
 * point, one file per command in runner/cli/.
 */
#ifndef FS_CLI_H
#define FS_CLI_H

#include <stdbool.h>
#include <stdio.h>

struct fs_harness;

enum cli_cmd_flags {
	CLI_HIDDEN = 1u << 0,	/* internal (faultsweep runs it itself): not in the usage */
};

/**
 * struct cli_cmd - one command of `faultsweep <command>`.
 * @name:  the word after faultsweep
 * @run:   its entry point: @argv[0] is @name; returns the exit code
 *         (runner/base/exitcodes.h, docs/exit-codes.md)
 * @args:  its synopsis in the usage ("[options] [PATTERN...]")
 * @help:  what it does, in one line of the usage
 * @flags: enum cli_cmd_flags
 */
struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *help;
	unsigned flags;
};

/* The table, in the order of the usage; cli_ncmds entries. */
extern const struct cli_cmd cli_cmds[];
extern const size_t cli_ncmds;

/** cli_find() - the command named @name (hidden ones too), or NULL. */
const struct cli_cmd *cli_find(const char *name);

/** cli_usage() - print the usage of faultsweep, one line per visible command, to @f. */
void cli_usage(FILE *f);

/**
 * cli_selects() - whether @h is among the cases @pats name (`list` and
 * `__clean`): every case but the hidden ones when @npats is 0.
 */
bool cli_selects(const struct fs_harness *h, int npats, char **pats);

int cmd_run(int argc, char **argv);
int cmd_module(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_vm(int argc, char **argv);
int cmd_kernel(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_clean(int argc, char **argv);

#endif
