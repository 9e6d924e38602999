/* fork(2) as the raw clone(SIGCHLD) it is; the child exits at once. */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/harness.h"

/*
 * The raw syscall, not glibc's fork(): no atfork handlers around it. The
 * child is this very code path, so it must leave before returning anywhere.
 */
static long call(struct fs_ctx *c)
{
	long pid = syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		c->pid = pid;
	return pid;
}

static void teardown(struct fs_ctx *c)
{
	if (c->pid > 0 && waitpid(c->pid, NULL, 0) == c->pid)
		c->pid = 0;
}

/* fork(2): EAGAIN when a PID cannot be allocated. */
FS_HARNESS(fork) = {
	.area     = "process",
	.call     = call,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EAGAIN),
};
