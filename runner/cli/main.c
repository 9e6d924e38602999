/* faultsweep command-line entry: dispatches to the subcommands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/cli/cli.h"
#include "runner/base/exitcodes.h"


static const char usage[] =
	"usage: faultsweep <command> [options]\n"
	"\n"
	"  run [options] [PATTERN...]   sweep every fault point of the matching cases\n"
	"  module [options] KO [P=V...] sweep loading and unloading a kernel module\n"
	"  exec [options] -- CMD...     sweep the fault points of CMD's syscalls\n"
	"  list [PATTERN...]            list the syscall harnesses\n"
	"  report [--out DIR] JOURNAL...  JUnit XML (Jenkins) from journals\n"
	"  vm [options] -- COMMAND...   boot the test kernel under qemu, run COMMAND\n"
	"  kernel build|path [options]  build (or locate) the cached test kernel\n"
	"\n"
	"Run 'faultsweep <command> --help' for a command's options; docs/ has the rest.\n";

int main(int argc, char **argv)
{
	const char *cmd;

	/* The kernel starts us as init with our arguments after "--". */
	if (getpid() == 1)
		return cmd_guest_init(argc, argv);
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? FS_EXIT_USAGE : FS_EXIT_OK;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "--version")) {
		puts("faultsweep " FS_VERSION);
		return FS_EXIT_OK;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "module"))
		return cmd_module(argc - 1, argv + 1);
	if (!strcmp(cmd, "exec"))
		return cmd_exec(argc - 1, argv + 1);
	if (!strcmp(cmd, "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "__worker"))
		return cmd_worker(argc - 1, argv + 1);
	if (!strcmp(cmd, "__clean"))
		return cmd_clean(argc - 1, argv + 1);
	if (!strcmp(cmd, "vm"))
		return cmd_vm(argc - 1, argv + 1);
	if (!strcmp(cmd, "kernel"))
		return cmd_kernel(argc - 1, argv + 1);
	fprintf(stderr, "faultsweep: unknown command '%s'\n\n%s", cmd, usage);
	return FS_EXIT_USAGE;
}
