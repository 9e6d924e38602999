/* `faultsweep __clean [PATTERN...]`: each case's fault-free step once, its verdict printed (docs/harnesses.md). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/registry.h"
#include "runner/base/exitcodes.h"
#include "runner/cli/cli.h"
#include "runner/sweep/oracle.h"
#include "runner/sweep/worker.h"
#include "runner/sweep/wrec.h"

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

		if (!cli_selects(h, argc - 1, argv + 1) || (h->flags & FS_HIDDEN && argc < 2))
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
