/* System V shared memory: shmget(2) and shmat(2). */
#include <sys/ipc.h>
#include <sys/shm.h>

#include "harness/harness.h"
#include "harness/ipc.h"

#define SEG_SIZE (64 << 10)

/*
 * c->val[0] is the segment's id (harness/ipc.h), -1 until there is one;
 * c->ptr[0] the attach address.
 */
static int setup_at(struct fs_ctx *c)
{
	SAFE_SHMGET(c, SEG_SIZE);
	return 0;
}

static long call_get(struct fs_ctx *c)
{
	c->val[0] = shmget(IPC_PRIVATE, SEG_SIZE, IPC_CREAT | 0600);
	return c->val[0];
}

/* (void *)-1 on failure, which is -1 as a long. */
static long call_at(struct fs_ctx *c)
{
	c->ptr[0] = shmat(c->val[0], NULL, 0);
	return (long)c->ptr[0];
}

/*
 * shmget(2) documents ENOSPC for a system without room for another segment;
 * the segment's shmem inode reports a failed allocation as ENOSPC too.
 */
FS_HARNESS(shmget) = {
	.area     = "ipc",
	.setup    = fs_ipc_none,
	.call     = call_get,
	.teardown = fs_shm_teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SYSVIPC"),
};

FS_HARNESS(shmat) = {
	.area     = "ipc",
	.setup    = setup_at,
	.call     = call_at,
	.teardown = fs_shm_teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SYSVIPC"),
};
