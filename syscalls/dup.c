/* dup3(2) onto a descriptor past the end of the fd table, so the table has to grow. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/harness.h"

/* Past NR_OPEN_DEFAULT (64) and below the usual RLIMIT_NOFILE of 1024. */
#define TARGET_FD 200

/*
 * expand_fdtable() is the only allocating path of dup3(), and a table never
 * shrinks, so after one step the worker's table would be big enough for
 * good. To start every step from a small one, a child shares our table
 * (clone(CLONE_FILES)) and unshare(CLONE_FILES) gives us a fresh copy sized
 * to the descriptors actually open; the grown table goes with the child,
 * which the runner kills.
 */
static int setup(struct fs_ctx *c)
{
	long pid;

	c->fd[0] = SAFE(open("/dev/null", O_RDONLY | O_CLOEXEC));
	pid = syscall(SYS_clone, CLONE_FILES | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0)
		for (;;)
			pause();
	c->pid = SAFE(pid);
	SAFE(unshare(CLONE_FILES));
	/* dup3() would silently close whatever the worker had there. */
	if (fcntl(TARGET_FD, F_GETFD) >= 0)
		fs_broken(__FILE__, __LINE__, 0, "fd %d is already open", TARGET_FD);
	return 0;
}

static long call(struct fs_ctx *c)
{
	c->fd[1] = dup3(c->fd[0], TARGET_FD, O_CLOEXEC);
	return c->fd[1];
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

FS_HARNESS(dup3) = {
	.area     = "fd",
	.setup    = setup,
	.call     = call,
	.teardown = teardown,
};
