/*
 * Hidden self-test cases that misbehave on purpose, so VM tests can prove the
 * runner's crash isolation, hang timeout and every oracle end to end. They
 * match only their exact names and never run in a normal sweep.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness/harness.h"

/* Dies by SIGSEGV at N=3: the sweep must lose exactly that step. */
static long call_segv(struct fs_ctx *c)
{
	if (c->nth == 3)
		raise(SIGSEGV);
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->fd);
}

/* Hangs at N=2: the per-step timeout must kill it and go on at N=3. */
static long call_hang(struct fs_ctx *c)
{
	if (c->nth == 2)
		for (;;)
			pause();
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->fd);
}

/* Panics the kernel at N=3 (sysrq 'c'): `run --vm` must record it and resume at N=4. */
static int setup_panic(struct fs_ctx *c)
{
	/* Opened here: in call() the open itself would be swept. */
	if (c->nth == 3) {
		c->fd[2] = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
		if (c->fd[2] < 0)
			FS_CONF("no /proc/sysrq-trigger (CONFIG_MAGIC_SYSRQ)");
	}
	return 0;
}

static long call_panic(struct fs_ctx *c)
{
	if (c->fd[2] >= 0 && write(c->fd[2], "c", 1) != 1)
		return -1;
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->fd);
}

/*
 * On an injected failure: leaks a descriptor and reports EIO, and the retry
 * fails with EBUSY. Every fired step must carry unexpected-errno, fd-leak
 * and retry-failed.
 */
static long call_bad(struct fs_ctx *c)
{
	if (c->val[0]) {
		errno = EBUSY;
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->fd) == 0)
		return 0;
	c->val[0] = 1;
	open("/dev/null", O_RDONLY);	/* the leak, on purpose */
	errno = EIO;
	return -1;
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

FS_HARNESS(selftest_segv) = {
	.area = "selftest", .call = call_segv, .teardown = teardown, .flags = FS_HIDDEN,
};

FS_HARNESS(selftest_hang) = {
	.area = "selftest", .call = call_hang, .teardown = teardown, .flags = FS_HIDDEN,
};

FS_HARNESS(selftest_panic) = {
	.area = "selftest", .setup = setup_panic, .call = call_panic, .teardown = teardown,
	.flags = FS_HIDDEN,
	.needs = FS_NEEDS_KCONFIG("CONFIG_MAGIC_SYSRQ"),
};

FS_HARNESS(selftest_oracles) = {
	.area = "selftest", .call = call_bad, .teardown = teardown, .flags = FS_HIDDEN,
};
