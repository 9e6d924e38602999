/* The command table: what main() dispatches to and what `faultsweep --help` lists. */
#include <string.h>

#include "runner/cli/cli.h"

const struct cli_cmd cli_cmds[] = {
	{ "run", cmd_run, "[options] [PATTERN...]",
	  "sweep every fault point of the matching cases", 0 },
	{ "module", cmd_module, "[options] KO [P=V...]",
	  "sweep loading and unloading a kernel module", 0 },
	{ "exec", cmd_exec, "[options] -- CMD...",
	  "sweep the fault points of CMD's syscalls", 0 },
	{ "list", cmd_list, "[PATTERN...]",
	  "list the syscall harnesses", 0 },
	{ "report", cmd_report, "[options] JOURNAL...",
	  "JUnit, reproducers, coverage map, summary", 0 },
	{ "vm", cmd_vm, "[options] -- COMMAND...",
	  "boot the test kernel under qemu, run COMMAND", 0 },
	{ "kernel", cmd_kernel, "build|path [options]",
	  "build (or locate) the cached test kernel", 0 },
	/* A slot's worker when there is no zygote (runner/sweep/sup.c execs it). */
	{ "__worker", cmd_worker, "--fd N --ack-fd N",
	  "serve cases to a supervisor", CLI_HIDDEN },
	/* The harness self-check while writing a case (docs/harnesses.md). */
	{ "__clean", cmd_clean, "[PATTERN...]",
	  "run each case's fault-free step", CLI_HIDDEN },
};

const size_t cli_ncmds = sizeof(cli_cmds) / sizeof(cli_cmds[0]);

const struct cli_cmd *cli_find(const char *name)
{
	size_t i;

	for (i = 0; i < cli_ncmds; i++)
		if (!strcmp(cli_cmds[i].name, name))
			return &cli_cmds[i];
	return NULL;
}

void cli_usage(FILE *f)
{
	size_t i;

	fputs("usage: faultsweep <command> [options]\n\n", f);
	for (i = 0; i < cli_ncmds; i++) {
		const struct cli_cmd *c = &cli_cmds[i];
		char synopsis[64];

		if (c->flags & CLI_HIDDEN)
			continue;
		snprintf(synopsis, sizeof(synopsis), "%s %s", c->name, c->args);
		fprintf(f, "  %-28s %s\n", synopsis, c->help);
	}
	fputs("\nRun 'faultsweep <command> --help' for a command's options; "
	      "docs/ has the rest.\n", f);
}
