/* `faultsweep list` and the hidden `__clean` harness self-check (one fault-free step per case). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner/cli/cli.h"
#include "runner/base/exitcodes.h"
#include "runner/sweep/oracle.h"
#include "harness/registry.h"
#include "runner/sweep/worker.h"

static bool selected(const struct fs_harness *h, int argc, char **argv)
{
	int i;

	if (argc == 0)
		return !(h->flags & FS_HIDDEN);
	for (i = 0; i < argc; i++)
		if (reg_matches(h, argv[i]))
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

		if (!selected(h, argc - 1, argv + 1))
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

/* Run each case's fault-free step in a child worker; print its verdict. */
int cmd_clean(int argc, char **argv)
{
	size_t i, n = fs_harness_count();
	int bad = 0;

	for (i = 0; i < n; i++) {
		const struct fs_harness *h = fs_harness_at(i);
		struct fs_wrec r = { 0 };
		struct fs_verdict v;
		char dir[64];
		int p[2], st;
		pid_t pid;

		if (!selected(h, argc - 1, argv + 1) || (h->flags & FS_HIDDEN && argc < 2))
			continue;
		if (pipe(p))
			return FS_EXIT_IO;
		snprintf(dir, sizeof(dir), "/tmp/faultsweep-clean-%d", getpid());
		pid = fork();
		if (pid == 0) {
			struct wrk_opts o = { .h = h, .clean_only = true, .out_fd = p[1],
					      .ack_fd = -1, .dir = dir };

			close(p[0]);
			_exit(wrk_main(&o) ? 1 : 0);
		}
		close(p[1]);
		if (read(p[0], &r, sizeof(r)) != sizeof(r)) {
			r.type = WREC_BROK;
			snprintf(r.msg, sizeof(r.msg), "worker died");
		}
		close(p[0]);
		waitpid(pid, &st, 0);
		if (WIFSIGNALED(st)) {
			r.type = WREC_BROK;
			snprintf(r.msg, sizeof(r.msg), "worker killed by signal %d", WTERMSIG(st));
		}
		wrec_judge(h, 0, &r, &v);
		bad += v.kind == FS_BROK;
		printf("%-5s %-32s %s\n", fs_verdict_name(v.kind), h->name, v.reason);
	}
	return bad ? FS_EXIT_BROKEN : FS_EXIT_OK;
}
