/* `faultsweep kernel build|path`: front end of kernel/build.sh, which owns the cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/base/cmdline.h"
#include "runner/cli/cli.h"
#include "runner/base/exitcodes.h"
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
	char script[4096];
	char **args;
	int i, n = 0;

	if (argc < 2 || (strcmp(argv[1], "build") && strcmp(argv[1], "path"))) {
		fputs(usage, argc < 2 || !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc >= 2 && !strcmp(argv[1], "--help") ? FS_EXIT_OK : FS_EXIT_USAGE;
	}
	snprintf(script, sizeof(script), "%s/kernel/build.sh", fs_home());
	args = calloc(argc + 3, sizeof(*args));
	if (!args)
		return FS_EXIT_SETUP;
	args[n++] = "bash";
	args[n++] = script;
	if (!strcmp(argv[1], "path"))
		args[n++] = "--lookup";
	for (i = 2; i < argc; i++)
		args[n++] = argv[i];
	execvp("bash", args);
	perror("faultsweep kernel: bash");
	return FS_EXIT_SETUP;
}

int kbuild_default_bzimage(char *buf, size_t len)
{
	char cmd[4200];
	FILE *p;
	char line[4096] = "";
	int status;

	snprintf(cmd, sizeof(cmd), "bash '%s/kernel/build.sh' --lookup", fs_home());
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		;
	status = pclose(p);
	if (status != 0 || !*line)
		return -1;
	line[strcspn(line, "\n")] = 0;
	snprintf(buf, len, "%s/arch/x86/boot/bzImage", line);
	return 0;
}
