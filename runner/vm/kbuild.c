/* The cached test kernel: kernel/build.sh owns the cache; this finds and runs it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/base/cmdline.h"
#include "runner/vm/kbuild.h"

int kbuild_exec(bool lookup, int argc, char **argv)
{
	char script[4096];
	char **args;
	int i, n = 0;

	snprintf(script, sizeof(script), "%s/kernel/build.sh", fs_home());
	args = calloc(argc + 4, sizeof(*args));
	if (!args)
		return -ENOMEM;
	args[n++] = "bash";
	args[n++] = script;
	if (lookup)
		args[n++] = "--lookup";
	for (i = 0; i < argc; i++)
		args[n++] = argv[i];
	execvp("bash", args);
	free(args);
	return -errno;
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
