/* Forks workers from a single-threaded zygote, passing their pipes over a unix socket. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner/sweep/worker.h"
#include "runner/sweep/zygote.h"

/* A request: the two pipes ride along as SCM_RIGHTS. */
struct zreq {
	uint32_t magic;
};

#define ZREQ_MAGIC 0x7a726571u

static int zsock = -1;
static pid_t zpid;
static pthread_mutex_t zlock = PTHREAD_MUTEX_INITIALIZER;

/* The worker: fds 3 and 4 in place, its own process group, then the cases it is given. */
static void worker_child(int out, int ack)
{
	/*
	 * No PR_SET_PDEATHSIG: the parent is the intermediate, which exits at
	 * once. Without the supervisor, the worker's next record write fails
	 * (EPIPE/SIGPIPE) and it ends.
	 */
	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	out = fcntl(out, F_DUPFD_CLOEXEC, 5);
	ack = fcntl(ack, F_DUPFD_CLOEXEC, 5);
	dup2(out, 3);
	dup2(ack, 4);
	syscall(SYS_close_range, 5, ~0u, 0);
	_exit(wrk_serve(3, 4) ? 6 : 0);
}

static void serve(int s)
{
	for (;;) {
		char cbuf[CMSG_SPACE(2 * sizeof(int))];
		struct zreq q;
		struct iovec iov = { &q, sizeof(q) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm;
		int fds[2] = { -1, -1 };
		pid_t mid, pid = -1;
		ssize_t n = recvmsg(s, &m, MSG_CMSG_CLOEXEC);

		if (n <= 0)
			_exit(0);
		cm = CMSG_FIRSTHDR(&m);
		if (n != sizeof(q) || q.magic != ZREQ_MAGIC || !cm || cm->cmsg_type != SCM_RIGHTS) {
			send(s, &pid, sizeof(pid), 0);
			continue;
		}
		memcpy(fds, CMSG_DATA(cm), sizeof(fds));
		/*
		 * Double fork: the intermediate exits at once, so the worker is
		 * reparented to the supervisor (a subreaper), which waits for it.
		 */
		mid = fork();
		if (mid == 0) {
			pid_t w = fork();

			if (w == 0) {
				close(s);
				worker_child(fds[0], fds[1]);
			}
			if (w > 0)
				setpgid(w, w);
			send(s, &w, sizeof(w), 0);
			_exit(0);
		}
		close(fds[0]);
		close(fds[1]);
		if (mid < 0)
			send(s, &pid, sizeof(pid), 0);
		else
			waitpid(mid, NULL, 0);
	}
}

int zyg_start(void)
{
	int sv[2];

	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return -errno;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	zpid = fork();
	if (zpid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -errno;
	}
	if (zpid == 0) {
		close(sv[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGINT, SIG_IGN);	/* the supervisor decides when workers stop */
		serve(sv[1]);
	}
	close(sv[1]);
	zsock = sv[0];
	return 0;
}

pid_t zyg_spawn(int out_fd, int ack_fd)
{
	struct zreq q = { .magic = ZREQ_MAGIC };
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { &q, sizeof(q) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int fds[2] = { out_fd, ack_fd };
	pid_t pid = -1;

	if (zsock < 0)
		return -ENOTCONN;
	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	pthread_mutex_lock(&zlock);
	if (sendmsg(zsock, &m, 0) != sizeof(q) || recv(zsock, &pid, sizeof(pid), 0) != sizeof(pid))
		pid = -1;
	pthread_mutex_unlock(&zlock);
	return pid > 0 ? pid : -ECHILD;
}

void zyg_stop(void)
{
	if (zsock >= 0) {
		close(zsock);
		zsock = -1;
		waitpid(zpid, NULL, 0);
	}
}
