/* `faultsweep list`: the syscall cases (area, name, source file) the patterns name. */
#include <stdio.h>
#include <string.h>

#include "runner/cli/cli.h"
#include "runner/base/exitcodes.h"
#include "harness/registry.h"

bool cli_selects(const struct fs_harness *h, int npats, char **pats)
{
	int i;

	if (npats == 0)
		return !(h->flags & FS_HIDDEN);
	for (i = 0; i < npats; i++)
		if (reg_matches(h, pats[i]))
			return true;
	return false;
}

int cmd_list(int argc, char **argv)
{
	size_t i, n = fs_harness_count(), shown = 0;
	int a;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		puts("usage: faultsweep list [PATTERN...]\n\n"
		     "Lists the syscall cases (area, name, source file) matching the patterns.");
		return FS_EXIT_OK;
	}
	for (i = 0; i < n; i++) {
		const struct fs_harness *h = fs_harness_at(i);
		const char *file = strstr(h->file, "syscalls/");

		if (!cli_selects(h, argc - 1, argv + 1))
			continue;
		printf("%-9s %-32s %s\n", h->area, h->name, file ? file : h->file);
		shown++;
	}
	for (a = 1; a < argc; a++) {
		bool any = false;

		for (i = 0; i < n && !any; i++)
			any = reg_matches(fs_harness_at(i), argv[a]);
		if (!any) {
			fprintf(stderr, "faultsweep list: no case matches '%s'\n", argv[a]);
			return FS_EXIT_USAGE;
		}
	}
	return shown || argc > 1 ? FS_EXIT_OK : FS_EXIT_USAGE;
}
