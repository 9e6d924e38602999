/*
 * The worker process of a slot: takes case after case from the supervisor
 * and sweeps each in a process of its own that shares only the worker's
 * address space, so a case starts in microseconds yet never sees what an
 * earlier case did to its process.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner/base/exitcodes.h"
#include "runner/sweep/worker.h"

/* The case process's stack; the lowest page is a guard. */
#define CASE_STACK (8u << 20)

#ifndef PR_GET_MDWE
#define PR_GET_MDWE 66
#endif

/*
 * The address space is the one thing a case process shares with the worker
 * and the cases after it. Mappings a case makes, teardown unmaps; these
 * mm-wide settings no teardown is asked to undo, so a change ends the worker.
 */
struct mm_state {
	int dumpable, thp_disable, mdwe;
};

static void mm_state(struct mm_state *m)
{
	m->dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	m->thp_disable = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
	m->mdwe = prctl(PR_GET_MDWE, 0, 0, 0, 0);
}

static int case_main(void *arg)
{
	_exit(wrk_main(arg) ? FS_EXIT_IO : 0);
}

/* The case process died by @sig: so does the worker, for the supervisor to see. */
__attribute__((noreturn))
static void die_like(int sig)
{
	sigset_t one;

	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	_exit(128 + sig);
}

/* Read exactly @len bytes: @len, 0 at EOF, or -errno. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += n;
	}
	return got;
}

/* A case this process does not know (a registry that differs from the supervisor's). */
static int refuse(int out_fd, const struct fs_wcmd *q)
{
	struct fs_wrec r = { .type = WREC_BROK, .pid = getpid() };

	snprintf(r.msg, sizeof(r.msg), "the worker has no case '%.120s'", q->name);
	return write(out_fd, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : -EPIPE;
}

int wrk_serve(int out_fd, int ack_fd)
{
	static struct wrk_keep keep;
	struct mm_state mm0, mm;
	char *stack;

	keep.kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	keep.modules_fd = open("/sys/module", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	stack = mmap(NULL, CASE_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
	if (stack == MAP_FAILED)
		return -errno;
	mprotect(stack, 4096, PROT_NONE);
	mm_state(&mm0);
	for (;;) {
		struct fs_wcmd q;
		struct wrk_opts o;
		ssize_t n = read_full(ack_fd, &q, sizeof(q));
		int st;
		pid_t pid;

		if (n == 0)
			return 0;
		if (n != sizeof(q) || q.magic != WCMD_MAGIC)
			return n < 0 ? n : -EPROTO;
		q.name[sizeof(q.name) - 1] = q.dir[sizeof(q.dir) - 1] = 0;
		o = (struct wrk_opts){ .h = fs_harness_find(q.name), .from = q.from ? q.from : 1,
				       .max_nth = q.max_nth, .retry = q.retry, .sites = q.sites,
				       .out_fd = out_fd, .ack_fd = ack_fd, .dir = q.dir,
				       .keep = &keep };
		if (!o.h) {
			if (refuse(out_fd, &q))
				return -EPIPE;
			continue;
		}
		/*
		 * Not a fork: no page tables to copy now, none to tear down at
		 * the end (~1 ms under TCG instead of ~50 ms for the zygote's
		 * double fork and the exit). Everything else the kernel keeps
		 * per process is the case process's own.
		 */
		/*
		 * A case that needs an mm of its own (setns into a time namespace
		 * refuses a task whose mm is shared: EUSERS) gets a copy, as a
		 * fork would, on the same stack.
		 */
		pid = clone(case_main, stack + CASE_STACK,
			    (o.h->flags & FS_OWN_MM ? 0 : CLONE_VM) | SIGCHLD, &o);
		if (pid < 0)
			return -errno;
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				return -errno;
		if (WIFSIGNALED(st))
			die_like(WTERMSIG(st));
		if (WEXITSTATUS(st))
			_exit(WEXITSTATUS(st));
		mm_state(&mm);
		if (memcmp(&mm, &mm0, sizeof(mm)))
			return 0;
	}
}
