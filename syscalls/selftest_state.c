/*
 * Hidden self-test cases for the worker's isolation of cases: one leaves
 * its process changed in every way a case can, the next checks it starts
 * as the worker is (tests/vm/fresh.sh runs them in that order in one slot).
 */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/harness.h"

static struct sock_filter allow_all[] = {
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static struct sock_fprog allow_all_prog = {
	.len    = sizeof(allow_all) / sizeof(allow_all[0]),
	.filter = allow_all,
};

/* Change the process for good: namespaces, filters, creds' flags, fs, limits, signals, mm. */
static int setup_taint(struct fs_ctx *c)
{
	struct rlimit rl;
	sigset_t urg;

	SAFE(unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC));
	SAFE(sethostname("faultsweep-taint", 16));
	SAFE(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	SAFE(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &allow_all_prog));
	umask(077);
	SAFE(chdir("/"));
	SAFE(getrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_cur = 200;
	SAFE(setrlimit(RLIMIT_NOFILE, &rl));
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&urg);
	sigaddset(&urg, SIGURG);
	SAFE(sigprocmask(SIG_BLOCK, &urg, NULL));
	/* An mm-wide flag: shared with the worker, which must not serve another case. */
	SAFE(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
	return 0;
}

static long call(struct fs_ctx *c)
{
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->fd);
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

/* Read @key's line of /proc/PID/status ("" for self) into @out. */
static void status_line(pid_t pid, const char *key, char *out, size_t len)
{
	char path[64], *p;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	f = fopen(path, "re");
	if (!f)
		fs_broken(__FILE__, __LINE__, errno, "fopen %s", path);
	*out = 0;
	while (fgets(out, len, f) && strncmp(out, key, strlen(key)))
		*out = 0;
	fclose(f);
	if ((p = strchr(out, '\n')))
		*p = 0;
}

static void same_link(pid_t parent, const char *what)
{
	char mine[64], theirs[64], a[256] = "", b[256] = "";

	snprintf(mine, sizeof(mine), "/proc/self/%s", what);
	snprintf(theirs, sizeof(theirs), "/proc/%d/%s", (int)parent, what);
	if (readlink(mine, a, sizeof(a) - 1) < 0 || readlink(theirs, b, sizeof(b) - 1) < 0)
		fs_broken(__FILE__, __LINE__, errno, "readlink %s", what);
	if (strcmp(a, b))
		fs_broken(__FILE__, __LINE__, EPROTO, "%s is %s, the worker's %s", what, a, b);
}

static void same_status(pid_t parent, const char *key)
{
	char a[256], b[256];

	status_line(0, key, a, sizeof(a));
	status_line(parent, key, b, sizeof(b));
	if (strcmp(a, b))
		fs_broken(__FILE__, __LINE__, EPROTO, "'%s' but the worker has '%s'", a, b);
}

/* Every step starts in a process as the worker's: nothing of the case before is left. */
static int setup_fresh(struct fs_ctx *c)
{
	static const char *const ns[] = { "ns/mnt", "ns/uts", "ns/ipc", "ns/net", "ns/user",
					  "ns/pid_for_children", "ns/cgroup", "cwd", "root" };
	static const char *const keys[] = { "NoNewPrivs:", "Seccomp:", "Umask:", "SigIgn:",
					    "SigBlk:", "CapEff:", "Uid:" };
	pid_t parent = getppid();
	struct rlimit mine, theirs;

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		same_link(parent, ns[i]);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		same_status(parent, keys[i]);
	SAFE(getrlimit(RLIMIT_NOFILE, &mine));
	SAFE(prlimit(parent, RLIMIT_NOFILE, NULL, &theirs));
	if (mine.rlim_cur != theirs.rlim_cur)
		fs_broken(__FILE__, __LINE__, EPROTO, "RLIMIT_NOFILE %lu, the worker's %lu",
			  (unsigned long)mine.rlim_cur, (unsigned long)theirs.rlim_cur);
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 1)
		fs_broken(__FILE__, __LINE__, EPROTO, "not dumpable: the mm of a tainted case");
	return 0;
}

/* ENFILE: what socketpair(2) returns when its file allocation fails, not what these test. */
FS_HARNESS(selftest_taint) = {
	.area = "selftest", .setup = setup_taint, .call = call, .teardown = teardown,
	.errnos = FS_ERRNOS(ENFILE), .flags = FS_HIDDEN,
};

FS_HARNESS(selftest_fresh) = {
	.area = "selftest", .setup = setup_fresh, .call = call, .teardown = teardown,
	.errnos = FS_ERRNOS(ENFILE), .flags = FS_HIDDEN,
};
