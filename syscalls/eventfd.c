/* eventfd2(2) through eventfd(3): a new event counter. */
#include <sys/eventfd.h>
#include <unistd.h>

#include "harness/harness.h"

static long call(struct fs_ctx *c)
{
	c->fd[0] = eventfd(0, EFD_CLOEXEC);
	return c->fd[0];
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(eventfd) = {
	.area     = "fd",
	.call     = call,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_EVENTFD"),
};
