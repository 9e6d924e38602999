/* pipe2(2): a new pipe, both ends close-on-exec. */
#include <fcntl.h>
#include <unistd.h>

#include "harness/harness.h"

static long call(struct fs_ctx *c)
{
	return pipe2(c->fd, O_CLOEXEC);
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

/*
 * ENOMEM alone: pipe(2) documents ENFILE only for the system-wide file and
 * pipe-buffer limits, so ENFILE for a failed allocation is a finding.
 */
FS_HARNESS(pipe2) = {
	.area     = "fd",
	.call     = call,
	.teardown = teardown,
};
