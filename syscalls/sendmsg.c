/* sendmsg(2) and recvmsg(2) passing descriptors with SCM_RIGHTS over a unix stream socketpair. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness/harness.h"
#include "harness/net.h"

/* One byte of data with room for one descriptor; lives in c->ptr[0]. */
struct fd_msg {
	struct msghdr mh;
	struct iovec iov;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	char byte;
};

/* @fd < 0: an empty control buffer for recvmsg(). */
static struct msghdr *fd_msg_new(struct fs_ctx *c, int fd)
{
	struct fd_msg *m = SAFE_PTR(calloc(1, sizeof(*m)));
	struct cmsghdr *cm;

	c->ptr[0] = m;
	m->byte = 'x';
	m->iov.iov_base = &m->byte;
	m->iov.iov_len = 1;
	m->mh.msg_iov = &m->iov;
	m->mh.msg_iovlen = 1;
	m->mh.msg_control = m->ctl.buf;
	m->mh.msg_controllen = sizeof(m->ctl.buf);
	if (fd >= 0) {
		cm = CMSG_FIRSTHDR(&m->mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	return &m->mh;
}

/* fd[0] sends to fd[1]; fd[2] is the descriptor in flight. */
static int setup_send(struct fs_ctx *c)
{
	SAFE_SOCKETPAIR(SOCK_STREAM, c->fd);
	c->fd[2] = SAFE(open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	fd_msg_new(c, c->fd[2]);
	return 0;
}

/* A unix socket in flight also goes through the garbage collector's graph. */
static int setup_send_unix(struct fs_ctx *c)
{
	SAFE_SOCKETPAIR(SOCK_STREAM, c->fd);
	c->fd[2] = SAFE_SOCKET(AF_UNIX, SOCK_DGRAM);
	fd_msg_new(c, c->fd[2]);
	return 0;
}

static long call_send(struct fs_ctx *c)
{
	return sendmsg(c->fd[0], c->ptr[0], 0);
}

/*
 * Two messages are queued so the retry has one left if a failed recvmsg()
 * consumed the first. One byte at a time keeps each descriptor with its byte.
 */
static int setup_recv(struct fs_ctx *c)
{
	struct msghdr *mh;

	SAFE_SOCKETPAIR(SOCK_STREAM, c->fd);
	c->fd[2] = SAFE(open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	mh = fd_msg_new(c, c->fd[2]);
	SAFE(sendmsg(c->fd[0], mh, 0));
	SAFE(sendmsg(c->fd[0], mh, 0));
	free(c->ptr[0]);
	fd_msg_new(c, -1);
	return 0;
}

static long call_recv(struct fs_ctx *c)
{
	return recvmsg(c->fd[1], c->ptr[0], MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 3; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
	free(c->ptr[0]);
}

/* Close what a successful recvmsg() installed (a failed one leaves the control buffer zeroed). */
static void teardown_recv(struct fs_ctx *c)
{
	struct msghdr *mh = c->ptr[0];
	struct cmsghdr *cm;
	int fd;

	for (cm = mh ? CMSG_FIRSTHDR(mh) : NULL; cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; CMSG_LEN((i + 1) * sizeof(int)) <= cm->cmsg_len; i++) {
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			close(fd);
		}
	}
	teardown(c);
}

/* sendmsg(2) documents ENOBUFS beside ENOMEM: a failed skb allocation. */
FS_HARNESS(sendmsg_scm_rights) = {
	.area     = "net",
	.setup    = setup_send,
	.call     = call_send,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

FS_HARNESS(sendmsg_scm_rights_unix) = {
	.area     = "net",
	.setup    = setup_send_unix,
	.call     = call_send,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};

FS_HARNESS(recvmsg_scm_rights) = {
	.area     = "net",
	.setup    = setup_recv,
	.call     = call_recv,
	.teardown = teardown_recv,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UNIX"),
};
