/*
 * Benchmark baselines for `make bench`: the bare fail-nth loop of
 * Documentation/fault-injection on socketpair, in process (the mechanism's
 * limit, no isolation) or with a fork per N. Prints "steps N seconds S rate R".
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One step: arm, call, read back, disarm. Returns 1 when the fault fired. */
static int step(int fd, unsigned n)
{
	char buf[16];
	int fds[2], r, len;

	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%u", n);
	if (pwrite(fd, buf, len, 0) != len)
		return -1;
	r = socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
	len = pread(fd, buf, sizeof(buf) - 1, 0);
	/* The write's own copy_from_user may consume the last point (EFAULT): again. */
	if (pwrite(fd, "0", 1, 0) != 1 && pwrite(fd, "0", 1, 0) != 1)
		return -1;
	if (r == 0) {
		close(fds[0]);
		close(fds[1]);
	}
	/* EFAULT on the read: its own copy_to_user was the last point, not the call's. */
	if (len <= 0)
		return 0;
	buf[len] = 0;
	return atoi(buf) == 0;
}

int main(int argc, char **argv)
{
	bool fork_mode = argc > 1 && !strcmp(argv[1], "fork");
	double secs = argc > 2 ? atof(argv[2]) : 10, t0 = now_s(), t;
	unsigned long steps = 0;
	unsigned n = 1;
	int fd = fork_mode ? -1 : open("/proc/thread-self/fail-nth", O_RDWR);

	do {
		int fired;

		if (fork_mode) {
			int st;
			pid_t pid = fork();

			if (pid == 0) {
				int f = step(open("/proc/thread-self/fail-nth", O_RDWR), n);

				_exit(f < 0 ? 2 : f);
			}
			waitpid(pid, &st, 0);
			fired = WIFEXITED(st) && WEXITSTATUS(st) <= 1 ? WEXITSTATUS(st) : -1;
		} else {
			fired = step(fd, n);
		}
		if (fired < 0) {
			fprintf(stderr, "fail_loop: no fail-nth here\n");
			return 3;
		}
		steps++;
		n = fired ? n + 1 : 1;	/* the sweep ended: start it again */
		t = now_s();
	} while (t - t0 < secs);
	printf("steps %lu seconds %.2f rate %.1f\n", steps, t - t0, steps / (t - t0));
	return 0;
}
