/* unshare(2) of each namespace type in the worker, undone by setns(2) (user: nested instead). */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/harness.h"

/*
 * unshare() changes the worker itself, and the worker lives on for the next
 * N. So setup keeps a handle on the namespace the worker is in and teardown
 * goes back to it: every step starts from the same namespaces, a new one is
 * freed as soon as it is left, and unshare(CLONE_NEWPID), which refuses a
 * second go while the first one's namespace is still pending, works again.
 * For pid and time, unshare() only changes the namespace for children; the
 * handle on /proc/self/ns/{pid,time} is the worker's own (active) one, and
 * setns() to it resets the one for children.
 */
static int save_ns(struct fs_ctx *c, const char *name, int nstype)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	c->fd[0] = open(path, O_RDONLY | O_CLOEXEC);
	if (c->fd[0] < 0 && errno == ENOENT)
		FS_CONF("no such namespace type in /proc/self/ns");
	SAFE(c->fd[0]);
	c->val[0] = nstype;
	return 0;
}

static void restore_ns(struct fs_ctx *c)
{
	if (c->fd[0] < 0)
		return;
	SAFE(setns(c->fd[0], c->val[0]));
	/* Entering a mount namespace moves the cwd to its root: move it back. */
	if (c->fd[1] >= 0)
		SAFE(fchdir(c->fd[1]));
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

static int setup_net(struct fs_ctx *c)
{
	return save_ns(c, "net", CLONE_NEWNET);
}

static long call_net(struct fs_ctx *c)
{
	return unshare(CLONE_NEWNET);
}

static int setup_ipc(struct fs_ctx *c)
{
	return save_ns(c, "ipc", CLONE_NEWIPC);
}

static long call_ipc(struct fs_ctx *c)
{
	return unshare(CLONE_NEWIPC);
}

static int setup_uts(struct fs_ctx *c)
{
	return save_ns(c, "uts", CLONE_NEWUTS);
}

static long call_uts(struct fs_ctx *c)
{
	return unshare(CLONE_NEWUTS);
}

static int setup_mnt(struct fs_ctx *c)
{
	c->fd[1] = SAFE(open(".", O_PATH | O_DIRECTORY | O_CLOEXEC));
	return save_ns(c, "mnt", CLONE_NEWNS);
}

static long call_mnt(struct fs_ctx *c)
{
	return unshare(CLONE_NEWNS);
}

static int setup_pid(struct fs_ctx *c)
{
	return save_ns(c, "pid", CLONE_NEWPID);
}

static long call_pid(struct fs_ctx *c)
{
	return unshare(CLONE_NEWPID);
}

static int setup_cgroup(struct fs_ctx *c)
{
	return save_ns(c, "cgroup", CLONE_NEWCGROUP);
}

static long call_cgroup(struct fs_ctx *c)
{
	return unshare(CLONE_NEWCGROUP);
}

static int setup_time(struct fs_ctx *c)
{
	return save_ns(c, "time", CLONE_NEWTIME);
}

static long call_time(struct fs_ctx *c)
{
	return unshare(CLONE_NEWTIME);
}

/*
 * A user namespace cannot be left: setns() back to the parent needs
 * CAP_SYS_ADMIN there, which the worker loses by entering the child. So
 * each step nests one level deeper instead. Teardown maps uid and gid 0 of
 * the new namespace to those of its parent (the one-line self-mapping an
 * owner may always write), so the worker stays (k)uid 0, keeps full
 * capabilities inside, and may create the next level: without a mapping the
 * next unshare() would fail with EPERM. The kernel allows 32 levels (then
 * ENOSPC), far more steps than the call has allocation sites; past that
 * the case stops as CONF rather than blame the kernel.
 */
#define USERNS_MAX_DEPTH 32

/*
 * Per case process: the worker runs each case in a process of its own that
 * shares its memory with the cases before it (runner/sweep/worker_serve.c), so
 * the count starts again when the pid changes.
 */
static int userns_depth;
static pid_t userns_pid;

static ino_t userns_ino(void)
{
	struct stat st;

	SAFE(stat("/proc/self/ns/user", &st));
	return st.st_ino;
}

static void write_proc(const char *path, const char *text)
{
	int fd = SAFE(open(path, O_WRONLY | O_CLOEXEC));
	ssize_t len = strlen(text);

	if (write(fd, text, len) != len)
		fs_broken(__FILE__, __LINE__, errno, "write %s", path);
	close(fd);
}

static int setup_user(struct fs_ctx *c)
{
	int fd;
	char v;

	if (userns_pid != getpid()) {
		userns_pid = getpid();
		userns_depth = 0;
	}
	if (userns_depth >= USERNS_MAX_DEPTH)
		FS_CONF("user namespace nesting limit reached");
	/* Debian's knob: when 0, only CAP_SYS_ADMIN in the initial namespace may nest. */
	fd = open("/proc/sys/kernel/unprivileged_userns_clone", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &v, 1) == 1 && v == '0')
			FS_CONF("kernel.unprivileged_userns_clone=0 forbids nested user namespaces");
		close(fd);
	}
	c->val[0] = userns_ino();
	return 0;
}

static long call_user(struct fs_ctx *c)
{
	return unshare(CLONE_NEWUSER);
}

static void teardown_user(struct fs_ctx *c)
{
	if (!c->val[0] || userns_ino() == (ino_t)c->val[0])
		return;
	userns_depth++;
	write_proc("/proc/self/setgroups", "deny");
	write_proc("/proc/self/uid_map", "0 0 1");
	write_proc("/proc/self/gid_map", "0 0 1");
}

FS_HARNESS(unshare_net) = {
	.area     = "process",
	.setup    = setup_net,
	.call     = call_net,
	.teardown = restore_ns,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_NET_NS"),
};

FS_HARNESS(unshare_ipc) = {
	.area     = "process",
	.setup    = setup_ipc,
	.call     = call_ipc,
	.teardown = restore_ns,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_IPC_NS"),
};

FS_HARNESS(unshare_uts) = {
	.area     = "process",
	.setup    = setup_uts,
	.call     = call_uts,
	.teardown = restore_ns,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_UTS_NS"),
};

FS_HARNESS(unshare_mnt) = {
	.area     = "process",
	.setup    = setup_mnt,
	.call     = call_mnt,
	.teardown = restore_ns,
};

FS_HARNESS(unshare_pid) = {
	.area     = "process",
	.setup    = setup_pid,
	.call     = call_pid,
	.teardown = restore_ns,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_PID_NS"),
};

FS_HARNESS(unshare_cgroup) = {
	.area     = "process",
	.setup    = setup_cgroup,
	.call     = call_cgroup,
	.teardown = restore_ns,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_CGROUPS"),
};

FS_HARNESS(unshare_time) = {
	.area     = "process",
	.setup    = setup_time,
	.call     = call_time,
	.teardown = restore_ns,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_TIME_NS"),
	/* setns() back into a time namespace wants a task that shares no mm. */
	.flags    = FS_OWN_MM,
};

FS_HARNESS(unshare_user) = {
	.area     = "process",
	.setup    = setup_user,
	.call     = call_user,
	.teardown = teardown_user,
	/* unshare(2) documents ENOSPC for the user-namespace limit (ucounts). */
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_USER_NS"),
};
