/* pidfd_open(2) on a child forked in setup. */
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/harness.h"

/* The child only waits to be killed; the runner kills and reaps c->pid. */
static int setup(struct fs_ctx *c)
{
	pid_t pid = SAFE(fork());

	if (pid == 0)
		for (;;)
			pause();
	c->pid = pid;
	return 0;
}

/* Raw syscall: glibc's pidfd_open() is 2.36-only, older build hosts lack it. */
static long call(struct fs_ctx *c)
{
	c->fd[0] = syscall(SYS_pidfd_open, c->pid, 0);
	return c->fd[0];
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(pidfd_open) = {
	.area     = "fd",
	.setup    = setup,
	.call     = call,
	.teardown = teardown,
};
