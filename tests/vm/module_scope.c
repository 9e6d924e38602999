/*
 * Module-scoped fail-nth end to end (kernel/patches/0003-*.patch), run as
 * root inside the test kernel by tests/vm/module_scope.sh: the interface of
 * /proc/<pid>/task/<tid>/fail-nth-module, then a sweep of finit_module(2) of
 * a module with the scope set to it, whose N=1 must be the module init's
 * first allocation, then the same sweep unscoped for the point count.
 *
 * usage: module_scope KO NAME FIRST_FUNC
 * FIRST_FUNC: the function (a prefix of it: the compiler may inline the
 * init's helpers into it) of the module's first allocation.
 * Prints one "ok"/"FAIL" line per check and the measured numbers; exit 0
 * when every check passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "klog/fidump.h"
#include "runner/inject/failnth.h"

#define MAX_N 2000

static int failed;

static void check(int cond, const char *what)
{
	printf("%s: %s\n", cond ? "ok" : "FAIL", what);
	if (!cond)
		failed = 1;
}

static void put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		printf("warning: cannot write %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void get(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
}

/* Raw write to fail-nth-module, bypassing failnth_scope_module()'s checks. */
static int write_scope(const char *val, size_t len)
{
	int fd = open("/proc/thread-self/fail-nth-module", O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	close(fd);
	return n < 0 ? -errno : (int)n;
}

static void test_interface(const char *name)
{
	char want[128], buf[128], path[128];
	char big[80];
	int fd, st;
	pid_t pid;

	snprintf(want, sizeof(want), "%s\n", name);
	check(failnth_scope_module(name) == 0, "failnth_scope_module() sets the scope");
	get("/proc/thread-self/fail-nth-module", buf, sizeof(buf));
	check(!strcmp(buf, want), "fail-nth-module reads back the name and a newline");
	snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth-module", (long)syscall(SYS_gettid));
	get(path, buf, sizeof(buf));
	check(!strcmp(buf, want), "/proc/self/task/TID/fail-nth-module is the same file");
	check(access("/proc/self/fail-nth-module", W_OK) == 0, "/proc/PID/fail-nth-module exists");

	fd = failnth_open();
	failnth_arm(fd, 5);
	get("/proc/thread-self/fail-nth-module", buf, sizeof(buf));
	check(!strcmp(buf, want), "writing fail-nth does not clear the scope");
	failnth_disarm(fd, NULL);
	close(fd);

	pid = fork();
	if (pid == 0) {
		get("/proc/thread-self/fail-nth-module", buf, sizeof(buf));
		_exit(buf[0] ? 1 : 0);
	}
	check(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a forked child starts unscoped");

	check(write_scope("\n", 1) == 1, "writing a newline is accepted");
	get("/proc/thread-self/fail-nth-module", buf, sizeof(buf));
	check(buf[0] == 0, "writing a newline clears the scope");
	memset(big, 'm', sizeof(big));
	check(write_scope(big, 55) == 55, "a 55-character name is accepted");
	check(write_scope(big, 56) == -EINVAL, "a 56-character name is EINVAL");
	memcpy(big + 55, "\n", 1);
	check(write_scope(big, 56) == 56, "55 characters and a newline are accepted");
	check(write_scope("a\nb", 3) == -EINVAL, "an embedded newline is EINVAL");
	check(failnth_scope_module("") == 0, "failnth_scope_module(\"\") clears");
	get("/proc/thread-self/fail-nth-module", buf, sizeof(buf));
	check(buf[0] == 0, "and reads back empty");
}

/* Scoped to a module that is not loaded, no fault point counts. */
static void test_outside(void)
{
	unsigned remaining = 0;
	int fd = failnth_open(), sv[2], r;

	failnth_scope_module("fs_no_such_module");
	failnth_arm(fd, 1);
	r = socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	check(r == 0, "socketpair() succeeds with fail-nth=1 scoped to a module not loaded");
	check(failnth_disarm(fd, &remaining) == 0 && remaining == 1,
	      "and no point of it counted (fail-nth still 1)");
	if (r == 0) {
		close(sv[0]);
		close(sv[1]);
	}
	failnth_scope_module(NULL);
	close(fd);
}

struct sweep {
	unsigned points;	/* fired steps before the load succeeded */
	int first_errno;	/* of N=1 */
	char first_text[4096];	/* N=1's fail-nth-site text */
	char first_site[256];	/* N=1's site frame as printed, and its module */
	char first_func[128], first_module[64];
	unsigned in_module;	/* fired steps whose frames include the module */
};

static int load(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	r = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return r;
}

static void unload(const char *name)
{
	int i;

	/* The module's own refcount drops asynchronously after init. */
	for (i = 0; i < 100 && syscall(SYS_delete_module, name, O_NONBLOCK) && errno == EAGAIN; i++)
		usleep(10000);
}

/* The fault points of one successful load: fail-nth armed far beyond them. */
static long count_points(const char *ko, const char *name, const char *scope)
{
	unsigned remaining = 0;
	int fd = failnth_open(), r;

	if (fd < 0 || failnth_scope_module(scope))
		return -1;
	failnth_arm(fd, 1000000);
	r = load(ko);
	failnth_disarm(fd, &remaining);
	close(fd);
	failnth_scope_module(NULL);
	if (r)
		return -1;
	unload(name);
	return 1000000 - (long)remaining;
}

static int sweep(const char *ko, const char *name, const char *scope, struct sweep *s)
{
	static char site[4096];
	static struct fidump d;
	int fd = failnth_open(), sfd = failnth_site_open(), fired, r, i;
	unsigned n;

	memset(s, 0, sizeof(*s));
	if (fd < 0 || sfd < 0)
		return -ENOENT;
	if (failnth_scope_module(scope))
		return -EINVAL;
	for (n = 1; n <= MAX_N; n++) {
		failnth_arm(fd, n);
		r = load(ko);
		fired = failnth_disarm_site(fd, NULL, sfd, site, sizeof(site));
		if (r == 0)
			unload(name);
		if (fired <= 0) {
			if (r != 0)
				printf("N=%u did not fire, yet the load failed: %s\n", n, strerror(-r));
			break;
		}
		s->points++;
		if (n == 1) {
			s->first_errno = -r;
			snprintf(s->first_text, sizeof(s->first_text), "%s", site);
		}
		if (fidump_parse_site(site, strlen(site), &d))
			continue;
		for (i = 0; i < d.nframes; i++)
			if (!strcmp(d.frames[i].module, name))
				break;
		if (i < d.nframes)
			s->in_module++;
		if (n == 1 && d.site >= 0) {
			snprintf(s->first_site, sizeof(s->first_site), "%s", d.frames[d.site].sym);
			snprintf(s->first_func, sizeof(s->first_func), "%s", d.frames[d.site].func);
			snprintf(s->first_module, sizeof(s->first_module), "%s", d.frames[d.site].module);
		}
	}
	failnth_scope_module(NULL);
	close(fd);
	close(sfd);
	return n > MAX_N ? -E2BIG : 0;
}

int main(int argc, char **argv)
{
	static struct sweep scoped;
	long in_scope, all;
	char msg[512];

	if (argc != 4) {
		fprintf(stderr, "usage: module_scope KO NAME FIRST_FUNC\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!failnth_has_module_scope()) {
		printf("FAIL: this kernel has no /proc/thread-self/fail-nth-module\n");
		return 1;
	}
	/*
	 * As faultsweep run --faults slab sets them: GFP_KERNEL allocations
	 * count, the other fault types neither fire nor count (an empty
	 * stacktrace require range). Page allocations would make the counts
	 * of two loads differ: slab refills come and go.
	 */
	put("/sys/kernel/debug/failslab/ignore-gfp-wait", "N");
	put("/sys/kernel/debug/failslab/verbose", "0");
	put("/sys/kernel/debug/fail_page_alloc/require-end", "0");
	put("/sys/kernel/debug/fail_usercopy/require-end", "0");
	put("/sys/kernel/debug/fail_futex/require-end", "0");

	test_interface(argv[2]);
	test_outside();

	check(sweep(argv[1], argv[2], argv[2], &scoped) == 0, "the scoped sweep ended with a load");
	printf("N=1's fail-nth-site:\n%s", scoped.first_text);
	printf("scoped to %s: %u fault points; N=1: %s [%s], errno %s\n", argv[2], scoped.points,
	       scoped.first_site, scoped.first_module, strerror(scoped.first_errno));
	snprintf(msg, sizeof(msg), "N=1 faulted %s's first allocation in %s (site %s [%s])",
		 argv[2], argv[3], scoped.first_site, scoped.first_module);
	check(!strncmp(scoped.first_func, argv[3], strlen(argv[3])) &&
	      !strcmp(scoped.first_module, argv[2]), msg);
	check(scoped.first_errno == ENOMEM, "and the load failed with ENOMEM");
	snprintf(msg, sizeof(msg), "every scoped fault's stack passes through %s (%u of %u)",
		 argv[2], scoped.in_module, scoped.points);
	check(scoped.points > 0 && scoped.in_module == scoped.points, msg);

	/* One load each, fail-nth armed beyond its points: how many it passes. */
	in_scope = count_points(argv[1], argv[2], argv[2]);
	all = count_points(argv[1], argv[2], "");
	printf("one load of %s passes %ld fault points, %ld of them in its scope\n",
	       argv[2], all, in_scope);
	snprintf(msg, sizeof(msg), "the scoped count of a load is the sweep's (%ld, %u)",
		 in_scope, scoped.points);
	check(in_scope == (long)scoped.points, msg);
	snprintf(msg, sizeof(msg), "unscoped, the loader's points come on top (%ld > %ld)",
		 all, in_scope);
	check(all > in_scope && in_scope > 0, msg);
	return failed;
}
