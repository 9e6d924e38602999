/* vm_run(): boots the test kernel under qemu with the host root over 9p and runs a command. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner/base/exitcodes.h"
#include "journal/outdir.h"
#include "runner/vm/kbuild.h"
#include "runner/vm/vm.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int vm_check_bzimage(const char *path)
{
	unsigned char hdr[0x206];
	int fd;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "faultsweep vm: --kernel %s: %s\n", path, strerror(errno));
		return -errno;
	}
	n = read(fd, hdr, sizeof(hdr));
	close(fd);
	/* x86 boot protocol: "HdrS" at 0x202 and the 0xAA55 boot flag at 0x1fe. */
	if (n != (ssize_t)sizeof(hdr) || memcmp(hdr + 0x202, "HdrS", 4) ||
	    hdr[0x1fe] != 0x55 || hdr[0x1ff] != 0xaa) {
		fprintf(stderr, "faultsweep vm: --kernel %s: not an x86 bzImage "
			"(want arch/x86/boot/bzImage of a kernel build)\n", path);
		return -ENOEXEC;
	}
	return 0;
}

static int find_in_path(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	int ret = -ENOENT;

	if (!path)
		path = "/usr/bin:/bin";
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(buf, len, "%s/%s", dir, name);
		if (!access(buf, X_OK)) {
			ret = 0;
			break;
		}
	}
	free(copy);
	return ret;
}

static int put(FILE *f, const char *key, const char *val)
{
	return fprintf(f, "%s=%s", key, val) < 0 || fputc(0, f) == EOF ? -EIO : 0;
}

/* A host path under /tmp or /run would be hidden by the guest's tmpfs there. */
static void keep_if_hidden(FILE *f, const char *path)
{
	static const char *const hidden[] = { "/tmp/", "/run/" };
	char top[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		size_t l = strlen(hidden[i]);
		const char *slash;

		if (strncmp(path, hidden[i], l))
			continue;
		slash = strchr(path + l, '/');
		snprintf(top, sizeof(top), "%.*s", slash ? (int)(slash - path) : (int)strlen(path), path);
		put(f, "keep", top);
	}
}

static int write_ctl(const char *ctl, const struct fs_vm_opts *o, const char *out,
		     const char *self)
{
	char path[PATH_MAX], cwd[PATH_MAX];
	FILE *f;
	int i, ret = 0;

	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	snprintf(path, sizeof(path), "%s/%s", ctl, VM_CTL_ARGV);
	f = fopen(path, "we");
	if (!f)
		return -errno;
	ret |= put(f, "cwd", cwd);
	ret |= put(f, "out", out);
	keep_if_hidden(f, cwd);
	keep_if_hidden(f, out);
	keep_if_hidden(f, self);
	for (i = 0; i < o->argc; i++)
		keep_if_hidden(f, o->argv[i]);
	for (i = 0; i < o->envc; i++)
		ret |= put(f, "env", o->env[i]);
	for (i = 0; i < o->argc; i++)
		ret |= put(f, "arg", o->argv[i]);
	if (fclose(f))
		ret = -EIO;
	return ret;
}

static bool file_exists(const char *dir, const char *name)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

/* The first console line holding @needle, or NULL. Caller frees. */
static char *console_find(const char *console, const char *needle)
{
	FILE *f = fopen(console, "re");
	char *line = NULL, *hit = NULL;
	size_t cap = 0;

	if (!f)
		return NULL;
	while (getline(&line, &cap, f) > 0) {
		if (strstr(line, needle)) {
			line[strcspn(line, "\r\n")] = 0;
			hit = strdup(line);
			break;
		}
	}
	free(line);
	fclose(f);
	return hit;
}

static void console_tail(const char *console, int lines)
{
	char cmd[PATH_MAX + 64];

	snprintf(cmd, sizeof(cmd), "tail -n %d '%s' >&2", lines, console);
	if (system(cmd) != 0)
		fprintf(stderr, "faultsweep vm: could not read %s\n", console);
}

static void rm_ctl(const char *ctl)
{
	static const char *const names[] = { VM_CTL_ARGV, VM_CTL_STARTED, VM_CTL_STATUS,
					      "cmdio.in", "cmdio.out" };
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", ctl, names[i]);
		unlink(p);
	}
	rmdir(ctl);
}

static void build_cmdline(char *buf, size_t len, const struct fs_vm_opts *o, const char *self)
{
	/*
	 * kasan_multi_shot: report every KASAN bug, not just the first.
	 * rcu stall timeout raised: TCG under load stalls vCPUs for seconds.
	 * panic=-1 with qemu -no-reboot: a panic ends qemu at once.
	 * no_hash_pointers: real addresses in reports, for symbolization.
	 * pty.legacy_count=0: creating 256 BSD ptys took 0.72 s of the boot.
	 */
	snprintf(buf, len,
		 "console=ttyS0 loglevel=%u root=/dev/root rootfstype=9p "
		 "rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro "
		 "panic=-1 kasan_multi_shot no_hash_pointers printk.devkmsg=on "
		 "rcupdate.rcu_cpu_stall_timeout=300 rcupdate.rcu_cpu_stall_suppress_at_boot=1 "
		 "pci=noacpi 8250.nr_uarts=2 tsc=reliable pty.legacy_count=0 %s init=%s -- guest-init",
		 o->loglevel, o->append ? o->append : "", self);
}

int vm_run(const struct fs_vm_opts *o)
{
	char kernel[PATH_MAX], qemu[PATH_MAX], out[PATH_MAX], self[PATH_MAX];
	char ctl[] = "/tmp/faultsweep-vm.XXXXXX";
	char console[PATH_MAX + 16], cmdline[8192], fifo_in[PATH_MAX], fifo_out[PATH_MAX];
	char mem[16], smp[16], con_dev[PATH_MAX + 64], fs_root[128], fs_out[PATH_MAX + 96];
	char fs_ctl[PATH_MAX + 96], ctl_status[PATH_MAX];
	const char *args[64];
	struct sigaction sa;
	double t0, t_started = 0;
	int n = 0, status = 0, rc, out_fd = -1, pidfd = -1;
	bool kvm, started = false, exited = false, timed_out = false, idle = false;
	double t_progress = 0;
	off_t watch_size = -1;
	pid_t pid;
	ssize_t len;

	if (o->kernel) {
		if (!realpath(o->kernel, kernel)) {
			fprintf(stderr, "faultsweep vm: --kernel %s: %s\n", o->kernel, strerror(errno));
			return FS_EXIT_SETUP;
		}
	} else if (kbuild_default_bzimage(kernel, sizeof(kernel))) {
		return FS_EXIT_SETUP;
	}
	if (vm_check_bzimage(kernel))
		return FS_EXIT_SETUP;
	if (find_in_path("qemu-system-x86_64", qemu, sizeof(qemu))) {
		fprintf(stderr, "faultsweep vm: qemu-system-x86_64 not found: "
			"run 'make setup' or 'apt-get install qemu-system-x86'\n");
		return FS_EXIT_SETUP;
	}
	if ((rc = fs_mkdir_p(o->out))) {
		fprintf(stderr, "faultsweep vm: --out %s: %s\n", o->out, strerror(-rc));
		return FS_EXIT_IO;
	}
	if (!realpath(o->out, out)) {
		fprintf(stderr, "faultsweep vm: --out %s: %s\n", o->out, strerror(errno));
		return FS_EXIT_IO;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0) {
		perror("faultsweep vm: /proc/self/exe");
		return FS_EXIT_IO;
	}
	self[len] = 0;
	if (!mkdtemp(ctl)) {
		perror("faultsweep vm: mkdtemp");
		return FS_EXIT_IO;
	}
	snprintf(console, sizeof(console), "%s/console.log", out);
	snprintf(fifo_in, sizeof(fifo_in), "%s/cmdio.in", ctl);
	snprintf(fifo_out, sizeof(fifo_out), "%s/cmdio.out", ctl);
	snprintf(ctl_status, sizeof(ctl_status), "%s/%s", ctl, VM_CTL_STATUS);
	if (write_ctl(ctl, o, out, self) || mkfifo(fifo_in, 0600) || mkfifo(fifo_out, 0600)) {
		fprintf(stderr, "faultsweep vm: cannot prepare %s: %s\n", ctl, strerror(errno));
		rm_ctl(ctl);
		return FS_EXIT_IO;
	}
	/* Non-blocking so open does not wait for qemu; qemu opens both O_RDWR. */
	out_fd = open(fifo_out, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	/*
	 * FAULTSWEEP_KVM=0/1 decides for commands without --kvm/--no-kvm (run
	 * --vm, ctest): the probe passed on a host where the guest then hung
	 * before its first console line.
	 */
	if (o->kvm == -1 && getenv("FAULTSWEEP_KVM") && *getenv("FAULTSWEEP_KVM"))
		kvm = strcmp(getenv("FAULTSWEEP_KVM"), "0") != 0;
	else
		kvm = o->kvm == 1 || (o->kvm == -1 && vm_kvm_usable());
	snprintf(mem, sizeof(mem), "%u", o->mem_mb);
	snprintf(smp, sizeof(smp), "%u", o->smp ? o->smp : (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
	snprintf(con_dev, sizeof(con_dev), "file,id=con,path=%s", console);
	snprintf(fs_root, sizeof(fs_root),
		 "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap");
	snprintf(fs_out, sizeof(fs_out), "local,id=out,path=%s,security_model=none,multidevs=remap", out);
	snprintf(fs_ctl, sizeof(fs_ctl), "local,id=ctl,path=%s,security_model=none", ctl);
	{
		/* The static init beside us when it is there (faster boot), else ourselves. */
		char init[PATH_MAX + 8];
		char *slash = strrchr(self, '/');

		snprintf(init, sizeof(init), "%.*s/faultsweep-init", slash ? (int)(slash - self) : 1,
			 slash ? self : ".");
		build_cmdline(cmdline, sizeof(cmdline), o, access(init, X_OK) ? self : init);
	}

again:
	n = 0;
	args[n++] = qemu;
	args[n++] = "-nodefaults";
	args[n++] = "-no-user-config";
	args[n++] = "-nographic";
	args[n++] = "-no-reboot";
	args[n++] = "-machine";
	args[n++] = kvm ? "pc,accel=kvm" : "pc,accel=tcg";
	args[n++] = "-cpu";
	args[n++] = kvm ? "host" : "max";
	args[n++] = "-m";
	args[n++] = mem;
	args[n++] = "-smp";
	args[n++] = smp;
	args[n++] = "-kernel";
	args[n++] = kernel;
	args[n++] = "-append";
	args[n++] = cmdline;
	args[n++] = "-chardev";
	args[n++] = con_dev;
	args[n++] = "-serial";
	args[n++] = "chardev:con";
	args[n++] = "-chardev";
	{
		static char io[PATH_MAX + 64];

		snprintf(io, sizeof(io), "pipe,id=cmdio,path=%s/cmdio", ctl);
		args[n++] = io;
	}
	args[n++] = "-serial";
	args[n++] = "chardev:cmdio";
	args[n++] = "-fsdev";
	args[n++] = fs_root;
	args[n++] = "-device";
	args[n++] = "virtio-9p-pci,fsdev=root,mount_tag=/dev/root";
	args[n++] = "-fsdev";
	args[n++] = fs_out;
	args[n++] = "-device";
	args[n++] = "virtio-9p-pci,fsdev=out,mount_tag=" VM_OUT_TAG;
	args[n++] = "-fsdev";
	args[n++] = fs_ctl;
	args[n++] = "-device";
	args[n++] = "virtio-9p-pci,fsdev=ctl,mount_tag=" VM_CTL_TAG;
	/*
	 * No ACPI PCI hotplug: its slot methods make the DSDT the AML
	 * interpreter walks at boot; acpi_init took 1.25 s of a 5.6 s TCG boot
	 * with them, 0.76 s without. ACPI itself stays (SMP via MADT and S5
	 * power-off: acpi=off leaves one CPU, SeaBIOS's MP table lists one).
	 */
	args[n++] = "-global";
	args[n++] = "PIIX4_PM.acpi-pci-hotplug-with-bridge-support=off";
	args[n++] = "-global";
	args[n++] = "PIIX4_PM.acpi-root-pci-hotplug=off";
	args[n++] = "-monitor";
	args[n++] = "none";
	args[n] = NULL;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if (!o->quiet)
		fprintf(stderr, "faultsweep vm: booting %s (%s, %s vCPUs, %s MB); console: %s\n",
			kernel, kvm ? "KVM" : "TCG", smp, mem, console);
	t0 = now_s();
	pid = fork();
	if (pid < 0) {
		perror("faultsweep vm: fork");
		rm_ctl(ctl);
		return FS_EXIT_SETUP;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		/* Own process group: the terminal's Ctrl-C reaches us, and we stop qemu. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, 0);
		dup2(null, 1);
		execv(qemu, (char *const *)args);
		_exit(127);
	}
	pidfd = syscall(SYS_pidfd_open, pid, 0);

	while (!exited) {
		struct pollfd pfd[2] = { { out_fd, POLLIN, 0 }, { pidfd, POLLIN, 0 } };
		char buf[4096];
		double t = now_s();

		if (poll(pfd, 2, 100) > 0 && (pfd[0].revents & POLLIN)) {
			while ((len = read(out_fd, buf, sizeof(buf))) > 0)
				if (write(STDOUT_FILENO, buf, len) < 0)
					break;
		}
		if (!started && file_exists(ctl, VM_CTL_STARTED)) {
			started = true;
			t_started = now_s();
			if (!o->quiet)
				fprintf(stderr, "faultsweep vm: guest reached COMMAND after %.1f s\n",
					t_started - t0);
		}
		if (started && o->watch_file && o->idle_timeout_s) {
			struct stat ws;
			off_t sz = stat(o->watch_file, &ws) ? -1 : ws.st_size;

			if (sz != watch_size || !t_progress) {
				watch_size = sz;
				t_progress = t;
			} else if (t - t_progress > o->idle_timeout_s) {
				idle = true;
			}
		}
		if (kvm && o->kvm == -1 && !started && t - t0 > VM_KVM_GRACE_S) {
			/*
			 * The probe's few instructions ran, the kernel does not: nested
			 * KVM that hangs on a real guest. Remember it, boot again in TCG.
			 */
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			vm_kvm_mark_stalled();
			fprintf(stderr, "faultsweep vm: the KVM guest made no progress in %d s; "
				"booting again without KVM (remembered for this host kernel)\n",
				VM_KVM_GRACE_S);
			kvm = false;
			if (pidfd >= 0)
				close(pidfd);
			pidfd = -1;
			goto again;
		}
		if (got_signal || idle || (o->timeout_s && t - t0 > o->timeout_s) ||
		    (!started && o->boot_timeout_s && t - t0 > o->boot_timeout_s)) {
			timed_out = !got_signal;
			kill(pid, SIGTERM);
			for (rc = 0; rc < 20 && waitpid(pid, &status, WNOHANG) == 0; rc++)
				usleep(50000);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			exited = true;
	}
	/* Drain what COMMAND printed last. */
	while (out_fd >= 0) {
		char buf[4096];

		len = read(out_fd, buf, sizeof(buf));
		if (len <= 0 || write(STDOUT_FILENO, buf, len) < 0)
			break;
	}
	if (out_fd >= 0)
		close(out_fd);
	if (pidfd >= 0)
		close(pidfd);

	rc = FS_EXIT_VM_LOST;
	if (got_signal) {
		fprintf(stderr, "faultsweep vm: interrupted by signal %d, qemu stopped\n", (int)got_signal);
		rc = FS_EXIT_INTERRUPTED;
	} else if (idle) {
		fprintf(stderr, "faultsweep vm: no progress in %s for %u s: the guest is "
			"considered hung; qemu killed (console: %s)\n", o->watch_file,
			o->idle_timeout_s, console);
		rc = FS_EXIT_VM_TIMEOUT;
	} else if (timed_out && started) {
		fprintf(stderr, "faultsweep vm: timed out after %u s; qemu killed (console: %s)\n",
			o->timeout_s, console);
		rc = FS_EXIT_VM_TIMEOUT;
	} else if (timed_out) {
		fprintf(stderr, "faultsweep vm: the guest did not reach COMMAND within %u s; "
			"last console lines (%s):\n", o->boot_timeout_s, console);
		console_tail(console, 20);
		rc = FS_EXIT_VM_NOBOOT;
	} else {
		FILE *f = fopen(ctl_status, "re");
		char *panic;
		int st;

		if (f && fscanf(f, "%d", &st) == 1) {
			rc = st;
		} else if ((panic = console_find(console, "Kernel panic - not syncing"))) {
			fprintf(stderr, "faultsweep vm: kernel panic: %s (console: %s)\n", panic, console);
			free(panic);
			rc = FS_EXIT_VM_PANIC;
		} else if (!started) {
			fprintf(stderr, "faultsweep vm: the guest never reached COMMAND; "
				"last console lines (%s):\n", console);
			console_tail(console, 20);
			rc = FS_EXIT_VM_NOBOOT;
		} else {
			fprintf(stderr, "faultsweep vm: the guest stopped without an exit status "
				"(qemu %s %d; console: %s)\n",
				WIFEXITED(status) ? "exit" : "signal",
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), console);
		}
		if (f)
			fclose(f);
	}
	if (!o->quiet && rc < FS_EXIT_VM_PANIC)
		fprintf(stderr, "faultsweep vm: COMMAND exited %d after %.1f s\n", rc, now_s() - t0);
	rm_ctl(ctl);
	return rc;
}
