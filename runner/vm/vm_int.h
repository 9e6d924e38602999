/*
 * Internals of vm_run() shared by its files: vm.c (the steps of one
 * vm_run()), vm_ctl.c (the host side of the control share), vm_qemu.c (the
 * kernel and qemu command lines, the qemu process), vm_watch.c (the watch
 * of a boot and the exit status it comes to).
 */
#ifndef FS_VM_INT_H
#define FS_VM_INT_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "runner/vm/vm.h"

#define VM_CTL_TEMPLATE "/tmp/faultsweep-vm.XXXXXX"

/* One vm_run(): what it booted with, and what the watch of the boot saw. */
struct vm_boot {
	const struct fs_vm_opts *o;
	char kernel[PATH_MAX], qemu[PATH_MAX], out[PATH_MAX], self[PATH_MAX];
	char ctl[sizeof(VM_CTL_TEMPLATE)];	/* the control share's host directory */
	bool ctl_made;
	char console[PATH_MAX + 16];		/* OUT/console.log */
	char cmdline[8192];			/* the kernel's */
	bool kvm;
	int out_fd;		/* COMMAND's output (the cmdio.out fifo), non-blocking; or -1 */

	/* the qemu process of the current boot */
	pid_t pid;
	int pidfd, status;
	double t0, t_started;
	bool started;		/* the guest created VM_CTL_STARTED: COMMAND runs */
	bool exited;		/* qemu ended by itself */
	bool timed_out;		/* stopped by --timeout, --boot-timeout or the idle watch */
	bool idle;		/* o->watch_file did not grow for o->idle_timeout_s */
	double t_progress;
	off_t watch_size;
};

/* CLOCK_MONOTONIC in seconds. */
double vm_now(void);

/*
 * vm_ctl_create() - make @b->ctl with VM_CTL_ARGV (what the guest runs)
 * and the cmdio fifos. 0 or -errno, with a message on stderr.
 */
int vm_ctl_create(struct vm_boot *b);
/* vm_ctl_remove() - remove @b->ctl and what is in it, when it was made. */
void vm_ctl_remove(struct vm_boot *b);
/* vm_ctl_has() - whether the guest made the file @name in @b->ctl. */
bool vm_ctl_has(const struct vm_boot *b, const char *name);
/* vm_ctl_status() - COMMAND's exit status the guest wrote, in *@st. 0 or -errno. */
int vm_ctl_status(const struct vm_boot *b, int *st);

/* vm_qemu_find() - qemu-system-x86_64 from $PATH into @b->qemu. 0 or -ENOENT. */
int vm_qemu_find(struct vm_boot *b);
/* vm_qemu_cmdline() - the kernel command line into @b->cmdline (init: faultsweep-init or us). */
void vm_qemu_cmdline(struct vm_boot *b);
/*
 * vm_qemu_start() - boot: start qemu (in TCG or KVM as @b->kvm says) in
 * its own process group, @b->pid and @b->pidfd, from @b->t0 on. 0 or -errno.
 */
int vm_qemu_start(struct vm_boot *b);
/* vm_qemu_stop() - SIGTERM to qemu, SIGKILL after a second, and reap it. */
void vm_qemu_stop(struct vm_boot *b);

/* Take SIGINT, SIGTERM and SIGHUP: the watch stops qemu and vm_run() says so. */
void vm_watch_signals(void);

enum vm_watch_end {
	VM_WATCH_ENDED,		/* qemu ended, or was stopped: see vm_exit_code() */
	VM_WATCH_KVM_STALLED,	/* a probed KVM guest made no progress: qemu killed */
	VM_WATCH_KVM_FAILED,	/* qemu under a probed KVM ended before COMMAND */
};

/*
 * vm_watch() - copy COMMAND's output to stdout until qemu ends, note when
 * COMMAND starts, stop qemu on a signal, a timeout or no progress.
 */
enum vm_watch_end vm_watch(struct vm_boot *b);
/* vm_watch_drain() - copy what COMMAND printed last to stdout. */
void vm_watch_drain(struct vm_boot *b);
/* vm_exit_code() - what vm_run() returns after the watch, said on stderr when it is ours. */
int vm_exit_code(const struct vm_boot *b);

#endif
