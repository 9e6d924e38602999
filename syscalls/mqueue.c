/* POSIX message queues: mq_open(3), mq_send(3), mq_receive(3). */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <unistd.h>

#include "harness/harness.h"

#define MSG_SIZE 64

/* Small enough for the default msg_max and msgsize_max. */
static struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = MSG_SIZE };

/*
 * The queue's name carries our pid, since mqueue names are global to the
 * ipc namespace the workers share; it is kept in c->path[0]. A queue left
 * by a killed worker that had our pid is removed first. mq_open() is called
 * without O_EXCL: a failed attempt may leave the queue made, and the retry
 * must open it.
 */
static int setup_name(struct fs_ctx *c)
{
	snprintf(c->path[0], sizeof(c->path[0]), "/faultsweep-%d", (int)getpid());
	mq_unlink(c->path[0]);
	return 0;
}

static int setup_open(struct fs_ctx *c)
{
	setup_name(c);
	c->fd[0] = SAFE(mq_open(c->path[0], O_CREAT | O_EXCL | O_RDWR | O_NONBLOCK, 0600, &attr));
	return 0;
}

/* Two messages queued, so the retry has one left if a failed mq_receive() consumed the first. */
static int setup_receive(struct fs_ctx *c)
{
	setup_open(c);
	SAFE(mq_send(c->fd[0], "faultsweep", 10, 1));
	SAFE(mq_send(c->fd[0], "faultsweep", 10, 1));
	return 0;
}

static long call_open(struct fs_ctx *c)
{
	c->fd[0] = mq_open(c->path[0], O_CREAT | O_RDWR, 0600, &attr);
	return c->fd[0];
}

static long call_send(struct fs_ctx *c)
{
	return mq_send(c->fd[0], "faultsweep", 10, 1);
}

static long call_receive(struct fs_ctx *c)
{
	return mq_receive(c->fd[0], c->buf, MSG_SIZE, NULL);
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		mq_close(c->fd[0]);
	if (c->path[0][0])
		mq_unlink(c->path[0]);
}

/* mq_open(3) documents ENOSPC for a system without room for another queue. */
FS_HARNESS(mq_open) = {
	.area     = "ipc",
	.setup    = setup_name,
	.call     = call_open,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_POSIX_MQUEUE"),
};

FS_HARNESS(mq_send) = {
	.area     = "ipc",
	.setup    = setup_open,
	.call     = call_send,
	.teardown = teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_POSIX_MQUEUE"),
};

FS_HARNESS(mq_receive) = {
	.area     = "ipc",
	.setup    = setup_receive,
	.call     = call_receive,
	.teardown = teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_POSIX_MQUEUE"),
};
