/* System V semaphores: semget(2), and semop(2) with and without an undo entry. */
#include <sys/ipc.h>
#include <sys/sem.h>

#include "harness/harness.h"
#include "harness/ipc.h"

/* c->val[0] is the set's id (harness/ipc.h), -1 until there is one. */
static int setup_op(struct fs_ctx *c)
{
	SAFE_SEMGET(c, 4);
	return 0;
}

static long call_get(struct fs_ctx *c)
{
	c->val[0] = semget(IPC_PRIVATE, 4, IPC_CREAT | 0600);
	return c->val[0];
}

static long call_op(struct fs_ctx *c)
{
	struct sembuf up = { .sem_num = 0, .sem_op = 1, .sem_flg = IPC_NOWAIT };

	return semop(c->val[0], &up, 1);
}

/*
 * SEM_UNDO allocates this set's undo entry. The process-wide undo list is
 * made once, by the fault-free first step, so every swept step is alike.
 */
static long call_op_undo(struct fs_ctx *c)
{
	struct sembuf up = { .sem_num = 0, .sem_op = 1, .sem_flg = IPC_NOWAIT | SEM_UNDO };

	return semop(c->val[0], &up, 1);
}

/* semget(2) documents ENOSPC for a system without room for another set. */
FS_HARNESS(semget) = {
	.area     = "ipc",
	.setup    = fs_ipc_none,
	.call     = call_get,
	.teardown = fs_sem_teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SYSVIPC"),
};

FS_HARNESS(semop) = {
	.area     = "ipc",
	.setup    = setup_op,
	.call     = call_op,
	.teardown = fs_sem_teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SYSVIPC"),
};

FS_HARNESS(semop_undo) = {
	.area     = "ipc",
	.setup    = setup_op,
	.call     = call_op_undo,
	.teardown = fs_sem_teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SYSVIPC"),
};
