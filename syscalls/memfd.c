/* memfd_create(2): an anonymous shmem file, sealed against exec. */
#include <sys/mman.h>
#include <unistd.h>

#include "harness/harness.h"

/* Linux 6.3; glibc 2.36's headers predate it. */
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif

/* Since 6.3 the kernel logs a warning for a memfd made without MFD_EXEC or MFD_NOEXEC_SEAL. */
static long call(struct fs_ctx *c)
{
	c->fd[0] = memfd_create("faultsweep", MFD_CLOEXEC | MFD_NOEXEC_SEAL);
	return c->fd[0];
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(memfd_create) = {
	.area     = "fd",
	.call     = call,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_MEMFD_CREATE"),
};
