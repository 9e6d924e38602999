/* System V message queues: msgget(2), msgsnd(2), msgrcv(2) with and without MSG_COPY. */
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include "harness/harness.h"
#include "harness/ipc.h"

#define MTEXT_LEN 64

struct text_msg {
	long mtype;
	char mtext[MTEXT_LEN];
};

/* c->val[0] is the queue id (harness/ipc.h), -1 until there is one. */

/* A queue and a message in c->buf (copied there: c->buf is not aligned for a long). */
static int setup_snd(struct fs_ctx *c)
{
	struct text_msg m = { .mtype = 1, .mtext = "faultsweep" };

	SAFE_MSGGET(c);
	memcpy(c->buf, &m, sizeof(m));
	return 0;
}

/* Two messages queued, so the retry has one left if a failed msgrcv() consumed the first. */
static int setup_rcv(struct fs_ctx *c)
{
	setup_snd(c);
	SAFE(msgsnd(c->val[0], c->buf, MTEXT_LEN, IPC_NOWAIT));
	SAFE(msgsnd(c->val[0], c->buf, MTEXT_LEN, IPC_NOWAIT));
	memset(c->buf, 0, sizeof(struct text_msg));
	return 0;
}

static long call_get(struct fs_ctx *c)
{
	c->val[0] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	return c->val[0];
}

static long call_snd(struct fs_ctx *c)
{
	return msgsnd(c->val[0], c->buf, MTEXT_LEN, IPC_NOWAIT);
}

static long call_rcv(struct fs_ctx *c)
{
	return msgrcv(c->val[0], c->buf, MTEXT_LEN, 0, IPC_NOWAIT);
}

/* MSG_COPY copies the message at index 0 into a new allocation and leaves it queued. */
static long call_rcv_copy(struct fs_ctx *c)
{
	return msgrcv(c->val[0], c->buf, MTEXT_LEN, 0, MSG_COPY | IPC_NOWAIT);
}

/* msgget(2) documents ENOSPC for a system without room for another queue. */
FS_HARNESS(msgget) = {
	.area     = "ipc",
	.setup    = fs_ipc_none,
	.call     = call_get,
	.teardown = fs_msg_teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SYSVIPC"),
};

FS_HARNESS(msgsnd) = {
	.area     = "ipc",
	.setup    = setup_snd,
	.call     = call_snd,
	.teardown = fs_msg_teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SYSVIPC"),
};

FS_HARNESS(msgrcv) = {
	.area     = "ipc",
	.setup    = setup_rcv,
	.call     = call_rcv,
	.teardown = fs_msg_teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SYSVIPC"),
};

FS_HARNESS(msgrcv_copy) = {
	.area     = "ipc",
	.setup    = setup_rcv,
	.call     = call_rcv_copy,
	.teardown = fs_msg_teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SYSVIPC", "CONFIG_CHECKPOINT_RESTORE"),
};
