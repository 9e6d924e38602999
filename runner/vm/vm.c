/*
 * vm_run(): boots the test kernel under qemu with the host root over 9p and
 * runs a command as root inside. The steps are here; the control share is
 * vm_ctl.c, the command lines and the qemu process vm_qemu.c, the watch of
 * the boot and the exit status vm_watch.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal/outdir.h"
#include "runner/base/exitcodes.h"
#include "runner/vm/kbuild.h"
#include "runner/vm/vm.h"
#include "runner/vm/vm_int.h"

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

/* The kernel, qemu and the directories of @b: 0, or the exit code, said on stderr. */
static int prepare(struct vm_boot *b)
{
	const struct fs_vm_opts *o = b->o;
	const char *kvm_env = getenv("FAULTSWEEP_KVM");
	ssize_t len;
	int rc;

	if (o->kernel) {
		if (!realpath(o->kernel, b->kernel)) {
			fprintf(stderr, "faultsweep vm: --kernel %s: %s\n", o->kernel, strerror(errno));
			return FS_EXIT_SETUP;
		}
	} else if (kbuild_default_bzimage(b->kernel, sizeof(b->kernel))) {
		return FS_EXIT_SETUP;
	}
	if (vm_check_bzimage(b->kernel))
		return FS_EXIT_SETUP;
	if (vm_qemu_find(b)) {
		fprintf(stderr, "faultsweep vm: qemu-system-x86_64 not found: "
			"run 'make setup' or 'apt-get install qemu-system-x86'\n");
		return FS_EXIT_SETUP;
	}
	if ((rc = fs_mkdir_p(o->out))) {
		fprintf(stderr, "faultsweep vm: --out %s: %s\n", o->out, strerror(-rc));
		return FS_EXIT_IO;
	}
	if (!realpath(o->out, b->out)) {
		fprintf(stderr, "faultsweep vm: --out %s: %s\n", o->out, strerror(errno));
		return FS_EXIT_IO;
	}
	len = readlink("/proc/self/exe", b->self, sizeof(b->self) - 1);
	if (len < 0) {
		perror("faultsweep vm: /proc/self/exe");
		return FS_EXIT_IO;
	}
	b->self[len] = 0;
	snprintf(b->console, sizeof(b->console), "%s/console.log", b->out);
	if (vm_ctl_create(b))
		return FS_EXIT_IO;
	/*
	 * FAULTSWEEP_KVM=0/1 decides for commands without --kvm/--no-kvm (run
	 * --vm, ctest): the probe passed on a host where the guest then hung
	 * before its first console line.
	 */
	if (o->kvm == -1 && kvm_env && *kvm_env)
		b->kvm = strcmp(kvm_env, "0") != 0;
	else
		b->kvm = o->kvm == 1 || (o->kvm == -1 && vm_kvm_usable());
	vm_qemu_cmdline(b);
	return 0;
}

int vm_run(const struct fs_vm_opts *o)
{
	struct vm_boot b = { .o = o, .out_fd = -1, .pidfd = -1, .watch_size = -1 };
	enum vm_watch_end end;
	int rc, err;

	rc = prepare(&b);
	if (rc)
		goto out;
	for (;;) {
		vm_watch_signals();
		err = vm_qemu_start(&b);
		if (err) {
			fprintf(stderr, "faultsweep vm: fork: %s\n", strerror(-err));
			rc = FS_EXIT_SETUP;
			goto out;
		}
		end = vm_watch(&b);
		if (end == VM_WATCH_ENDED)
			break;
		/* Remember that KVM does not work here, boot again in TCG. */
		vm_kvm_mark_stalled();
		if (end == VM_WATCH_KVM_STALLED)
			fprintf(stderr, "faultsweep vm: the KVM guest made no progress in %d s; "
				"booting again without KVM (remembered for this host kernel)\n",
				VM_KVM_GRACE_S);
		else
			fprintf(stderr, "faultsweep vm: qemu ended under KVM before the guest "
				"reached COMMAND; booting again without KVM (remembered for this "
				"host kernel)\n");
		b.kvm = false;
		if (b.pidfd >= 0)
			close(b.pidfd);
		b.pidfd = -1;
	}
	vm_watch_drain(&b);
	rc = vm_exit_code(&b);
	if (!o->quiet && rc < FS_EXIT_VM_PANIC)
		fprintf(stderr, "faultsweep vm: COMMAND exited %d after %.1f s\n", rc,
			vm_now() - b.t0);
out:
	if (b.out_fd >= 0)
		close(b.out_fd);
	if (b.pidfd >= 0)
		close(b.pidfd);
	vm_ctl_remove(&b);
	return rc;
}
