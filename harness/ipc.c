/* System V IPC objects for harnesses: see harness/ipc.h. Needs nothing but libc and the harness API. */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "harness/harness.h"
#include "harness/ipc.h"

int fs_ipc_none(struct fs_ctx *c)
{
	c->val[FS_IPC_ID] = -1;
	return 0;
}

int fs_safe_msgget(const char *file, int line, struct fs_ctx *c)
{
	c->val[FS_IPC_ID] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (c->val[FS_IPC_ID] < 0)
		fs_broken(file, line, errno, "msgget(IPC_PRIVATE)");
	return c->val[FS_IPC_ID];
}

int fs_safe_semget(const char *file, int line, struct fs_ctx *c, int nsems)
{
	c->val[FS_IPC_ID] = semget(IPC_PRIVATE, nsems, IPC_CREAT | 0600);
	if (c->val[FS_IPC_ID] < 0)
		fs_broken(file, line, errno, "semget(IPC_PRIVATE, %d)", nsems);
	return c->val[FS_IPC_ID];
}

int fs_safe_shmget(const char *file, int line, struct fs_ctx *c, size_t size)
{
	c->val[FS_IPC_ID] = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
	if (c->val[FS_IPC_ID] < 0)
		fs_broken(file, line, errno, "shmget(IPC_PRIVATE, %zu)", size);
	return c->val[FS_IPC_ID];
}

void fs_msg_teardown(struct fs_ctx *c)
{
	if (c->val[FS_IPC_ID] >= 0)
		msgctl(c->val[FS_IPC_ID], IPC_RMID, NULL);
}

void fs_sem_teardown(struct fs_ctx *c)
{
	if (c->val[FS_IPC_ID] >= 0)
		semctl(c->val[FS_IPC_ID], 0, IPC_RMID);
}

void fs_shm_teardown(struct fs_ctx *c)
{
	if (c->ptr[0] && c->ptr[0] != (void *)-1)
		shmdt(c->ptr[0]);
	if (c->val[FS_IPC_ID] >= 0)
		shmctl(c->val[FS_IPC_ID], IPC_RMID, NULL);
}
