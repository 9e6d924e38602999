/* The kernel's and qemu's command lines, and the qemu process of a boot. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner/vm/vm_int.h"

int vm_qemu_find(struct vm_boot *b)
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
		snprintf(b->qemu, sizeof(b->qemu), "%s/%s", dir, "qemu-system-x86_64");
		if (!access(b->qemu, X_OK)) {
			ret = 0;
			break;
		}
	}
	free(copy);
	return ret;
}

void vm_qemu_cmdline(struct vm_boot *b)
{
	const struct fs_vm_opts *o = b->o;
	/* The static init beside us when it is there (faster boot), else ourselves. */
	char init[PATH_MAX + 8];
	char *slash = strrchr(b->self, '/');

	snprintf(init, sizeof(init), "%.*s/faultsweep-init", slash ? (int)(slash - b->self) : 1,
		 slash ? b->self : ".");
	/*
	 * kasan_multi_shot: report every KASAN bug, not just the first.
	 * rcu stall timeout raised: TCG under load stalls vCPUs for seconds.
	 * panic=-1 with qemu -no-reboot: a panic ends qemu at once.
	 * no_hash_pointers: real addresses in reports, for symbolization.
	 * pty.legacy_count=0: creating 256 BSD ptys took 0.72 s of the boot.
	 */
	snprintf(b->cmdline, sizeof(b->cmdline),
		 "console=ttyS0 loglevel=%u root=/dev/root rootfstype=9p "
		 "rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro "
		 "panic=-1 kasan_multi_shot no_hash_pointers printk.devkmsg=on "
		 "rcupdate.rcu_cpu_stall_timeout=300 rcupdate.rcu_cpu_stall_suppress_at_boot=1 "
		 "pci=noacpi 8250.nr_uarts=2 tsc=reliable pty.legacy_count=0 %s init=%s -- guest-init",
		 o->loglevel, o->append ? o->append : "", access(init, X_OK) ? b->self : init);
}

int vm_qemu_start(struct vm_boot *b)
{
	const struct fs_vm_opts *o = b->o;
	char mem[16], smp[16], con_dev[PATH_MAX + 64], io[PATH_MAX + 64], fs_root[128];
	char fs_out[PATH_MAX + 96], fs_ctl[PATH_MAX + 96];
	const char *args[64];
	int n = 0;

	snprintf(mem, sizeof(mem), "%u", o->mem_mb);
	snprintf(smp, sizeof(smp), "%u", o->smp ? o->smp : (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
	snprintf(con_dev, sizeof(con_dev), "file,id=con,path=%s", b->console);
	snprintf(io, sizeof(io), "pipe,id=cmdio,path=%s/cmdio", b->ctl);
	snprintf(fs_root, sizeof(fs_root),
		 "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap");
	snprintf(fs_out, sizeof(fs_out), "local,id=out,path=%s,security_model=none,multidevs=remap",
		 b->out);
	snprintf(fs_ctl, sizeof(fs_ctl), "local,id=ctl,path=%s,security_model=none", b->ctl);

	args[n++] = b->qemu;
	args[n++] = "-nodefaults";
	args[n++] = "-no-user-config";
	args[n++] = "-nographic";
	args[n++] = "-no-reboot";
	args[n++] = "-machine";
	args[n++] = b->kvm ? "pc,accel=kvm" : "pc,accel=tcg";
	args[n++] = "-cpu";
	args[n++] = b->kvm ? "host" : "max";
	args[n++] = "-m";
	args[n++] = mem;
	args[n++] = "-smp";
	args[n++] = smp;
	args[n++] = "-kernel";
	args[n++] = b->kernel;
	args[n++] = "-append";
	args[n++] = b->cmdline;
	args[n++] = "-chardev";
	args[n++] = con_dev;
	args[n++] = "-serial";
	args[n++] = "chardev:con";
	args[n++] = "-chardev";
	args[n++] = io;
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

	if (!o->quiet)
		fprintf(stderr, "faultsweep vm: booting %s (%s, %s vCPUs, %s MB); console: %s\n",
			b->kernel, b->kvm ? "KVM" : "TCG", smp, mem, b->console);
	b->t0 = vm_now();
	b->pid = fork();
	if (b->pid < 0)
		return -errno;
	if (b->pid == 0) {
		int null = open("/dev/null", O_RDWR);

		/* Own process group: the terminal's Ctrl-C reaches us, and we stop qemu. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, 0);
		dup2(null, 1);
		execv(b->qemu, (char *const *)args);
		_exit(127);
	}
	b->pidfd = syscall(SYS_pidfd_open, b->pid, 0);
	return 0;
}

void vm_qemu_stop(struct vm_boot *b)
{
	int i;

	kill(b->pid, SIGTERM);
	for (i = 0; i < 20 && waitpid(b->pid, &b->status, WNOHANG) == 0; i++)
		usleep(50000);
	kill(b->pid, SIGKILL);
	waitpid(b->pid, &b->status, 0);
}
