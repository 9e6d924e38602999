/*
 * What single operations cost in the test VM (TCG, KASAN): the syscalls a
 * sweep step and a case are made of, timed in a loop, in µs. Run by hand:
 * `faultsweep vm -- build/tests/bench_micro` (docs/bench.md).
 */
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "klog/marker.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

#define T(name, n, body) do {                                                   \
	double t0 = now();                                                      \
	for (int i = 0; i < (n); i++) { body; }                                 \
	printf("%-28s %9.1f us\n", name, (now() - t0) / (n) * 1e6);            \
} while (0)

static char big[32768];

static int child_exit(void *a)
{
	(void)a;
	_exit(0);
}

static void slurp(const char *path)
{
	int f = open(path, O_RDONLY | O_CLOEXEC);

	while (f >= 0 && read(f, big, sizeof(big)) > 0)
		;
	if (f >= 0)
		close(f);
}

int main(void)
{
	int nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	int kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC), mods = open("/proc/modules", O_RDONLY);
	char marker[MARKER_LINE_MAX];
	int mlen = marker_step(marker, sizeof(marker), "socketpair_unix_stream", 12, 123);
	char b[64], rec[1848] = { 0 }, *stk;
	int p[2], sv[2];
	struct stat st;
	sigjmp_buf j;

	if (nth < 0 || pipe(p)) {
		fprintf(stderr, "bench_micro: no fail-nth here\n");
		return 3;
	}
	T("getppid", 2000, getppid());
	T("prctl PR_SET_NAME", 2000, prctl(PR_SET_NAME, "fs#12"));
	T("sigsetjmp(, 1)", 2000, if (sigsetjmp(j, 1)) return 1);
	T("fcntl F_DUPFD + close", 2000, close(fcntl(nth, F_DUPFD_CLOEXEC, 10)));
	T("pwrite fail-nth", 2000, if (pwrite(nth, "0", 1, 0) < 0) return 1);
	T("pread fail-nth", 2000, if (pread(nth, b, sizeof(b), 0) < 0) return 1);
	T("/dev/kmsg marker", 1000, if (write(kmsg, marker, mlen) < 0) break);
	T("open+read /proc/modules", 500, slurp("/proc/modules"));
	T("pread kept /proc/modules", 500, if (pread(mods, big, sizeof(big), 0) < 0) break);
	T("fstat /sys/module", 2000, stat("/sys/module", &st));
	T("open+read /proc/self/status", 300, slurp("/proc/self/status"));
	T("open+read .../tainted", 300, slurp("/proc/sys/kernel/tainted"));
	T("stat /proc/self/ns/net", 1000, stat("/proc/self/ns/net", &st));
	T("close_range", 2000, syscall(SYS_close_range, 20, ~0u, 0));
	T("waitpid WNOHANG", 2000, waitpid(-1, NULL, WNOHANG));
	T("pipe 1848 B write+read", 1000,
	  if (write(p[1], rec, sizeof(rec)) < 0 || read(p[0], rec, sizeof(rec)) < 0) return 1);
	T("socketpair + 2 close", 1000,
	  if (!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) { close(sv[0]); close(sv[1]); });
	T("fork + exit + wait", 50, { pid_t c = fork(); if (!c) _exit(0); waitpid(c, NULL, 0); });
	stk = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
		   -1, 0);
	if (stk != MAP_FAILED)
		T("clone(CLONE_VM) + exit + wait", 200,
		  waitpid(clone(child_exit, stk + (1 << 20), CLONE_VM | SIGCHLD, NULL), NULL, 0));
	return 0;
}
