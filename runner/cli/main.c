/* faultsweep's entry point: the guest's init as PID 1, else a command of the table (commands.c). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runner/base/exitcodes.h"
#include "runner/cli/cli.h"
#include "runner/vm/guest_init.h"

int main(int argc, char **argv)
{
	const struct cli_cmd *c;

	/* The kernel starts us as init with our arguments after "--". */
	if (getpid() == 1)
		return vm_guest_init(argc, argv);
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		cli_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? FS_EXIT_USAGE : FS_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("faultsweep " FS_VERSION);
		return FS_EXIT_OK;
	}
	c = cli_find(argv[1]);
	if (c)
		return c->run(argc - 1, argv + 1);
	fprintf(stderr, "faultsweep: unknown command '%s'\n\n", argv[1]);
	cli_usage(stderr);
	return FS_EXIT_USAGE;
}
