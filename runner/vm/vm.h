/* The qemu VM launcher: host side (vm_run(), vm.c), KVM probe (vm_kvm.c); guest PID 1: guest_init.h. */
#ifndef FS_VM_H
#define FS_VM_H

#include <stdbool.h>

/*
 * Host and guest talk through a private 9p share (tag "fsctl", mounted at
 * VM_CTL_GUEST in the guest). The host writes VM_CTL_ARGV, a sequence of
 * NUL-terminated "key=value" strings: cwd=, out=, keep= (a host directory under
 * /tmp or /run the guest must still see after mounting its tmpfs there),
 * env=NAME=VALUE, arg= (COMMAND's argv in order). The guest creates
 * VM_CTL_STARTED right before running COMMAND and writes COMMAND's exit
 * status in decimal to VM_CTL_STATUS before powering off.
 */
#define VM_CTL_TAG     "fsctl"
#define VM_OUT_TAG     "fsout"
#define VM_CTL_GUEST   "/run/faultsweep-ctl"
#define VM_CTL_ARGV    "argv"
#define VM_CTL_STARTED "started"
#define VM_CTL_STATUS  "status"

struct fs_vm_opts {
	const char *kernel;   /* bzImage; NULL = the cached default build */
	const char *out;      /* shared writable dir, default "out" */
	const char *append;   /* extra kernel command line */
	unsigned smp;         /* vCPUs; 0 = host CPUs */
	unsigned mem_mb;
	unsigned timeout_s;   /* 0 = none */
	unsigned boot_timeout_s;
	unsigned loglevel;    /* console loglevel */
	int kvm;              /* 1 force, 0 never, -1 probe */
	bool quiet;           /* no progress lines on stderr */
	char **argv;          /* COMMAND */
	int argc;
	const char *watch_file;   /* with idle_timeout_s: progress is this file growing */
	unsigned idle_timeout_s;  /* kill the VM (VM_TIMEOUT) after this long without progress */
	char **env;           /* extra NAME=VALUE for COMMAND */
	int envc;
};

/**
 * vm_run() - boot the test kernel, run @o->argv as root inside, power off.
 * Returns COMMAND's exit status, or one of the FS_EXIT_VM_* codes.
 */
int vm_run(const struct fs_vm_opts *o);

/**
 * vm_kvm_usable() - whether /dev/kvm can actually run a guest here.
 * Runs a few instructions in a throwaway VM in a child process with a
 * deadline: nested KVM on this fleet exposes /dev/kvm but hangs.
 */
bool vm_kvm_usable(void);

/**
 * vm_kvm_mark_stalled() - remember that a KVM guest stalled on this host
 * kernel (the probe passed, the boot did not), so vm_kvm_usable() says no
 * from now on; in $XDG_CACHE_HOME/faultsweep/kvm-stalls.
 */
void vm_kvm_mark_stalled(void);

/* A KVM boot that has not reached COMMAND by then is a stall: TCG boots in ~6 s. */
#define VM_KVM_GRACE_S 25

/**
 * vm_check_bzimage() - 0 when @path is an x86 bzImage, else -errno with a
 * message naming the path on stderr.
 */
int vm_check_bzimage(const char *path);

#endif
