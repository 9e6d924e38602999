/* signalfd4(2) through signalfd(3): a new descriptor for SIGUSR1. */
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "harness/harness.h"

static sigset_t mask;

static int setup(struct fs_ctx *c)
{
	SAFE(sigemptyset(&mask));
	SAFE(sigaddset(&mask, SIGUSR1));
	return 0;
}

static long call(struct fs_ctx *c)
{
	c->fd[0] = signalfd(-1, &mask, SFD_CLOEXEC);
	return c->fd[0];
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(signalfd) = {
	.area     = "fd",
	.setup    = setup,
	.call     = call,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SIGNALFD"),
};
