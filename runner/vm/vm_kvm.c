/* Probes whether KVM really works: /dev/kvm can exist while nested KVM hangs. */
#include <fcntl.h>
#include <limits.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "journal/outdir.h"
#include "runner/vm/vm.h"

/* Child: run one HLT in real mode. Exit 0 only on a clean KVM_EXIT_HLT. */
static void probe_child(void)
{
	static const uint8_t code[] = { 0xf4 };	/* hlt */
	struct kvm_userspace_memory_region region;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	int kvm, vm, vcpu, sz;
	void *mem;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0 || ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		_exit(1);
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	mem = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (vm < 0 || mem == MAP_FAILED)
		_exit(1);
	memcpy(mem, code, sizeof(code));
	memset(&region, 0, sizeof(region));
	region.guest_phys_addr = 0x1000;
	region.memory_size = 0x1000;
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		_exit(1);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	sz = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vcpu < 0 || sz <= 0)
		_exit(1);
	run = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED || ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		_exit(1);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		_exit(1);
	memset(&regs, 0, sizeof(regs));
	regs.rip = 0x1000;
	regs.rflags = 0x2;
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0 || ioctl(vcpu, KVM_RUN, 0) < 0)
		_exit(1);
	_exit(run->exit_reason == KVM_EXIT_HLT ? 0 : 1);
}

/* $XDG_CACHE_HOME/faultsweep/kvm-stalls: the host kernels where a KVM guest stalled. */
static int verdict_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		return snprintf(buf, len, "%s/faultsweep/kvm-stalls", xdg) < (int)len ? 0 : -1;
	if (home && *home)
		return snprintf(buf, len, "%s/.cache/faultsweep/kvm-stalls", home) < (int)len ? 0 : -1;
	return -1;
}

static bool stalled_before(void)
{
	char path[PATH_MAX], line[300];
	struct utsname u;
	bool found = false;
	FILE *f;

	if (verdict_path(path, sizeof(path)) || uname(&u) || !(f = fopen(path, "re")))
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, u.release, strlen(u.release)) && line[strlen(u.release)] == '\n';
	fclose(f);
	return found;
}

void vm_kvm_mark_stalled(void)
{
	char path[PATH_MAX];
	struct utsname u;
	FILE *f;

	if (verdict_path(path, sizeof(path)) || uname(&u) || stalled_before())
		return;
	*strrchr(path, '/') = 0;
	fs_mkdir_p(path);
	strcat(path, "/kvm-stalls");
	f = fopen(path, "ae");
	if (f) {
		fprintf(f, "%s\n", u.release);
		fclose(f);
	}
}

bool vm_kvm_usable(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int status, i;
	pid_t pid;

	if (access("/dev/kvm", R_OK | W_OK) || stalled_before())
		return false;
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0)
		probe_child();
	for (i = 0; i < 150; i++) {	/* 3 s */
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (r < 0)
			return false;
		nanosleep(&ts, NULL);
	}
	/* Hung in KVM_RUN: kill it and do not wait; it may be unkillable. */
	kill(pid, SIGKILL);
	return false;
}
