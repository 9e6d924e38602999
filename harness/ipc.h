/*
 * System V IPC objects for harnesses (syscalls/ ipc cases), SAFE-style as
 * harness/net.h: a queue, a semaphore set or a shared memory segment made
 * IPC_PRIVATE (no key another worker could share, docs/harnesses.md), its
 * id in c->val[0], and the teardowns that remove it. Shared by the runner
 * and every reproducer (reports/repro/repro.c pastes this file and ipc.c
 * into the .c of a case that includes it).
 */
#ifndef FS_HARNESS_IPC_H
#define FS_HARNESS_IPC_H

#include <stddef.h>

#include "harness/harness.h"

/* The object's id: c->val[FS_IPC_ID], -1 while there is none. */
#define FS_IPC_ID 0

/** fs_ipc_none() - setup of a case whose call makes the object: no id yet. */
int fs_ipc_none(struct fs_ctx *c);

/* SAFE_MSGGET(c): a new message queue, its id in c->val[FS_IPC_ID]. */
#define SAFE_MSGGET(c) fs_safe_msgget(__FILE__, __LINE__, (c))
/* SAFE_SEMGET(c, nsems): a new set of @nsems semaphores, its id in c->val[FS_IPC_ID]. */
#define SAFE_SEMGET(c, nsems) fs_safe_semget(__FILE__, __LINE__, (c), (nsems))
/* SAFE_SHMGET(c, size): a new segment of @size bytes, its id in c->val[FS_IPC_ID]. */
#define SAFE_SHMGET(c, size) fs_safe_shmget(__FILE__, __LINE__, (c), (size))

int fs_safe_msgget(const char *file, int line, struct fs_ctx *c);
int fs_safe_semget(const char *file, int line, struct fs_ctx *c, int nsems);
int fs_safe_shmget(const char *file, int line, struct fs_ctx *c, size_t size);

/* Teardowns: remove the object of c->val[FS_IPC_ID] (IPC_RMID) when there is one. */
void fs_msg_teardown(struct fs_ctx *c);
void fs_sem_teardown(struct fs_ctx *c);
/* fs_shm_teardown() - also detaches c->ptr[0] when the case attached the segment there. */
void fs_shm_teardown(struct fs_ctx *c);

#endif
