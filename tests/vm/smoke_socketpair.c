/*
 * VM smoke test: the fail-nth loop of Documentation/fault-injection on
 * socketpair(AF_UNIX), standalone on purpose (no faultsweep code), proving the
 * test kernel injects faults. Exit 0 when at least 8 faults fired and then a
 * step did not fire; 3 when the kernel has no fail-nth.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int knob(const char *path, const char *val, char *old, size_t len)
{
	int fd = open(path, O_RDWR);
	ssize_t n;

	if (fd < 0)
		return -1;
	if (old) {
		n = read(fd, old, len - 1);
		old[n > 0 ? n : 0] = 0;
	}
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -1 : 0;
}

int main(void)
{
	static const char *const kp = "/sys/kernel/debug/failslab/ignore-gfp-wait";
	static const char *const kv = "/sys/kernel/debug/failslab/verbose";
	char old_wait[16] = "Y", old_verbose[16] = "2", buf[16];
	int nth_fd, n, fired = 0, ended = 0, fds[2];

	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0) {
		fprintf(stderr, "smoke: no /proc/thread-self/fail-nth (%s): this kernel lacks "
			"CONFIG_FAULT_INJECTION / CONFIG_FAILSLAB\n", strerror(errno));
		return 3;
	}
	if (knob(kp, "N", old_wait, sizeof(old_wait)) || knob(kv, "0", old_verbose, sizeof(old_verbose))) {
		fprintf(stderr, "smoke: cannot set %s: %s\n", kp, strerror(errno));
		return 3;
	}
	for (n = 1; n < 1000; n++) {
		ssize_t len;
		int r;

		len = snprintf(buf, sizeof(buf), "%d", n);
		if (pwrite(nth_fd, buf, len, 0) != len)
			break;
		r = socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
		len = pread(nth_fd, buf, sizeof(buf) - 1, 0);
		/*
		 * When the fault did not fire, the read's copy_to_user and this
		 * write's copy_from_user are usercopy fault points themselves: the
		 * write may consume the last one and fail with EFAULT, leaving 0.
		 */
		if (pwrite(nth_fd, "0", 1, 0) != 1 && pwrite(nth_fd, "0", 1, 0) != 1)
			break;
		/* EFAULT on the read: its own copy_to_user was the last point, not the call's. */
		if (len <= 0)
			strcpy(buf, "1");
		buf[len > 0 ? len : 1] = 0;
		if (r == 0) {
			close(fds[0]);
			close(fds[1]);
		}
		if (atoi(buf) != 0) {
			printf("smoke: nth=%d did not fire (%s left): socketpair has %d fault points\n",
			       n, strtok(buf, "\n"), n - atoi(buf));
			ended = 1;
			break;
		}
		fired++;
		printf("smoke: nth=%d fired: socketpair %s (%s)\n", n, r ? "failed" : "succeeded",
		       r ? strerror(errno) : "fault swallowed");
	}
	knob(kp, old_wait, NULL, 0);
	knob(kv, old_verbose, NULL, 0);
	printf("smoke: %d faults injected, sweep %s\n", fired, ended ? "ended" : "did not end");
	return fired >= 8 && ended ? 0 : 1;
}
