/* `faultsweep kernel build|path`: front end of kernel/build.sh, which owns the cache. */
#include <stdio.h>
#include <string.h>

#include "runner/base/exitcodes.h"
#include "runner/cli/cli.h"
#include "runner/vm/kbuild.h"

static const char usage[] =
	"usage: faultsweep kernel build [--src DIR] [--config FILE] [--no-patches] [--jobs N]\n"
	"       faultsweep kernel path  [--src DIR] [--config FILE] [--no-patches]\n"
	"\n"
	"build  builds bzImage, vmlinux and modules (cached; see docs/kernel.md);\n"
	"       the last line on stdout is the build directory, usable as KDIR\n"
	"path   prints the cached build directory without building\n"
	"--no-patches  without kernel/patches: a stock kernel, for the fallbacks\n";

int cmd_kernel(int argc, char **argv)
{
	int ret;

	if (argc < 2 || (strcmp(argv[1], "build") && strcmp(argv[1], "path"))) {
		fputs(usage, argc < 2 || !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc >= 2 && !strcmp(argv[1], "--help") ? FS_EXIT_OK : FS_EXIT_USAGE;
	}
	ret = kbuild_exec(!strcmp(argv[1], "path"), argc - 2, argv + 2);
	fprintf(stderr, "faultsweep kernel: bash: %s\n", strerror(-ret));
	return FS_EXIT_SETUP;
}
