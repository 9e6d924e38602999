/* PID 1 of the test VM: mounts the guest's filesystems, runs COMMAND, reports its status, powers off. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "runner/vm/guest_init.h"
#include "runner/vm/vm.h"

#define MAX_ARGS 256
#define MAX_KEEP 8

struct guest_cmd {
	char *cwd, *out;
	char *keep[MAX_KEEP];
	char *env[MAX_ARGS];
	char *argv[MAX_ARGS];
	int nkeep, nenv, nargv;
};

/* Everything PID 1 prints goes to the console, i.e. OUT/console.log. */
__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "faultsweep-init: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int mnt(const char *src, const char *dst, const char *type, unsigned long fl,
	       const char *data)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, fl, data) && errno != EBUSY) {
		say("mount %s: %s", dst, strerror(errno));
		return -errno;
	}
	return 0;
}

static void mkdir_p(const char *path)
{
	char p[PATH_MAX];
	char *s;

	snprintf(p, sizeof(p), "%s", path);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

static int read_cmd(struct guest_cmd *c)
{
	static char buf[65536];
	size_t off = 0;
	ssize_t n;
	int fd;

	fd = open(VM_CTL_GUEST "/" VM_CTL_ARGV, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	while (off < (size_t)n) {
		char *s = buf + off;

		off += strlen(s) + 1;
		if (!strncmp(s, "cwd=", 4))
			c->cwd = s + 4;
		else if (!strncmp(s, "out=", 4))
			c->out = s + 4;
		else if (!strncmp(s, "keep=", 5) && c->nkeep < MAX_KEEP)
			c->keep[c->nkeep++] = s + 5;
		else if (!strncmp(s, "env=", 4) && c->nenv < MAX_ARGS - 1)
			c->env[c->nenv++] = s + 4;
		else if (!strncmp(s, "arg=", 4) && c->nargv < MAX_ARGS - 1)
			c->argv[c->nargv++] = s + 4;
	}
	return c->nargv > 0 && c->cwd && c->out ? 0 : -EINVAL;
}

/*
 * Mount a tmpfs on @dir but keep the host trees listed in @keep that live
 * under it (a clone in /tmp, say): detach them first, re-attach after.
 */
static void tmpfs_keeping(const char *dir, struct guest_cmd *c)
{
	int fds[MAX_KEEP];
	size_t l = strlen(dir);
	int i;

	for (i = 0; i < c->nkeep; i++) {
		fds[i] = -1;
		if (!strncmp(c->keep[i], dir, l) && c->keep[i][l] == '/')
			fds[i] = syscall(SYS_open_tree, AT_FDCWD, c->keep[i],
					 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	}
	mnt("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	for (i = 0; i < c->nkeep; i++) {
		if (fds[i] < 0)
			continue;
		mkdir_p(c->keep[i]);
		if (syscall(SYS_move_mount, fds[i], "", AT_FDCWD, c->keep[i],
			    MOVE_MOUNT_F_EMPTY_PATH))
			say("keeping %s: %s", c->keep[i], strerror(errno));
		close(fds[i]);
	}
}

static void loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (!ioctl(s, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

static void write_ctl(const char *name, const char *text)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", VM_CTL_GUEST, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		say("cannot write %s: %s", p, strerror(errno));
		return;
	}
	if (write(fd, text, strlen(text)) < 0)
		say("cannot write %s: %s", p, strerror(errno));
	fsync(fd);
	close(fd);
}

static int open_cmdio(void)
{
	struct termios t;
	int fd = open("/dev/ttyS1", O_RDWR | O_NOCTTY);

	if (fd < 0)
		return -1;
	/* Raw: COMMAND's bytes reach the host's stdout unchanged (no \r\n). */
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		cfsetspeed(&t, B115200);
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	/* Without ACPI poweroff the kernel halts; qemu -no-reboot ends on panic. */
	_exit(1);
}

int vm_guest_init(int argc, char **argv)
{
	static struct guest_cmd c;
	char status[32];
	int io, st = 0, code;
	pid_t child, w;

	mnt("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mnt("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mnt("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	mnt("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	mnt("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
	mnt(VM_CTL_TAG, VM_CTL_GUEST, "9p", 0, "trans=virtio,version=9p2000.L");
	if (read_cmd(&c)) {
		say("no command from the host in %s", VM_CTL_GUEST "/" VM_CTL_ARGV);
		power_off();
	}
	tmpfs_keeping("/tmp", &c);
	mnt("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	mnt("mqueue", "/dev/mqueue", "mqueue", 0, NULL);
	mnt(VM_OUT_TAG, c.out, "9p", 0, "trans=virtio,version=9p2000.L,msize=512000");
	loopback_up();

	clearenv();
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
	setenv("HOME", "/tmp", 1);
	setenv("TERM", "dumb", 1);
	setenv("FAULTSWEEP_GUEST", "1", 1);
	for (int i = 0; i < c.nenv; i++)
		putenv(c.env[i]);

	io = open_cmdio();
	write_ctl(VM_CTL_STARTED, "1\n");
	child = fork();
	if (child == 0) {
		setsid();
		if (io >= 0) {
			dup2(io, 0);
			dup2(io, 1);
			dup2(io, 2);
			ioctl(0, TIOCSCTTY, 0);
		}
		if (chdir(c.cwd))
			fprintf(stderr, "faultsweep vm: cwd %s: %s\n", c.cwd, strerror(errno));
		execvp(c.argv[0], c.argv);
		fprintf(stderr, "faultsweep vm: %s: %s\n", c.argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	/* As PID 1 we reap every orphan until COMMAND itself is done. */
	while ((w = wait(&st)) != child)
		if (w < 0 && errno == ECHILD)
			break;
	code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	kill(-1, SIGKILL);
	while (wait(NULL) > 0)
		;
	if (io >= 0)
		tcdrain(io);
	snprintf(status, sizeof(status), "%d\n", code);
	write_ctl(VM_CTL_STATUS, status);
	power_off();
	return 0;
}
