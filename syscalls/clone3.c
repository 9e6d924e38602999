/* clone3(2): a plain child, one with a pidfd, and children in new UTS, mount, user namespaces. */
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/harness.h"

/* The child is this very code path: it must leave before returning anywhere. */
static long clone3_child_exits(struct fs_ctx *c, struct clone_args *args)
{
	long pid = syscall(SYS_clone3, args, sizeof(*args));

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		c->pid = pid;
	return pid;
}

static long call_plain(struct fs_ctx *c)
{
	struct clone_args args = { .exit_signal = SIGCHLD };

	return clone3_child_exits(c, &args);
}

static long call_pidfd(struct fs_ctx *c)
{
	int pidfd = -1;
	struct clone_args args = {
		.flags       = CLONE_PIDFD,
		.pidfd       = (uintptr_t)&pidfd,
		.exit_signal = SIGCHLD,
	};
	long pid = clone3_child_exits(c, &args);

	if (pid > 0)
		c->fd[c->fd[0] < 0 ? 0 : 1] = pidfd;
	return pid;
}

static long call_newuts(struct fs_ctx *c)
{
	struct clone_args args = { .flags = CLONE_NEWUTS, .exit_signal = SIGCHLD };

	return clone3_child_exits(c, &args);
}

static long call_newns(struct fs_ctx *c)
{
	struct clone_args args = { .flags = CLONE_NEWNS, .exit_signal = SIGCHLD };

	return clone3_child_exits(c, &args);
}

static long call_newuser(struct fs_ctx *c)
{
	struct clone_args args = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };

	return clone3_child_exits(c, &args);
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
	if (c->pid > 0 && waitpid(c->pid, NULL, 0) == c->pid)
		c->pid = 0;
}

/* clone(2): EAGAIN when a PID cannot be allocated. */
FS_HARNESS(clone3) = {
	.area     = "process",
	.call     = call_plain,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EAGAIN),
};

FS_HARNESS(clone3_pidfd) = {
	.area     = "process",
	.call     = call_pidfd,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EAGAIN),
};

FS_HARNESS(clone3_newuts) = {
	.area     = "process",
	.call     = call_newuts,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EAGAIN),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UTS_NS"),
};

FS_HARNESS(clone3_newns) = {
	.area     = "process",
	.call     = call_newns,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EAGAIN),
};

FS_HARNESS(clone3_newuser) = {
	.area     = "process",
	.call     = call_newuser,
	.teardown = teardown,
	/* clone(2) documents ENOSPC for the user-namespace limit (ucounts). */
	.errnos   = FS_ERRNOS(EAGAIN, ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_USER_NS"),
};
