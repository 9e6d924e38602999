/*
 * Watching a boot: COMMAND's output copied to stdout, when COMMAND starts,
 * the timeouts, a stalled KVM guest, a signal; then the exit status that
 * vm_run() returns, from the guest's status file or the console.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner/base/exitcodes.h"
#include "runner/vm/vm_int.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

void vm_watch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

double vm_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What COMMAND has printed so far, to our stdout. */
static void copy_output(int fd)
{
	char buf[4096];
	ssize_t len;

	while ((len = read(fd, buf, sizeof(buf))) > 0)
		if (write(STDOUT_FILENO, buf, len) < 0)
			break;
}

/* Progress is the watch file growing; none for o->idle_timeout_s is a hung guest. */
static void watch_progress(struct vm_boot *b, double t)
{
	struct stat ws;
	off_t sz = stat(b->o->watch_file, &ws) ? -1 : ws.st_size;

	if (sz != b->watch_size || !b->t_progress) {
		b->watch_size = sz;
		b->t_progress = t;
	} else if (t - b->t_progress > b->o->idle_timeout_s) {
		b->idle = true;
	}
}

enum vm_watch_end vm_watch(struct vm_boot *b)
{
	const struct fs_vm_opts *o = b->o;

	while (!b->exited) {
		struct pollfd pfd[2] = { { b->out_fd, POLLIN, 0 }, { b->pidfd, POLLIN, 0 } };
		double t = vm_now();

		if (poll(pfd, 2, 100) > 0 && (pfd[0].revents & POLLIN))
			copy_output(b->out_fd);
		if (!b->started && vm_ctl_has(b, VM_CTL_STARTED)) {
			b->started = true;
			b->t_started = vm_now();
			if (!o->quiet)
				fprintf(stderr, "faultsweep vm: guest reached COMMAND after %.1f s\n",
					b->t_started - b->t0);
		}
		if (b->started && o->watch_file && o->idle_timeout_s)
			watch_progress(b, t);
		if (b->kvm && o->kvm == -1 && !b->started && t - b->t0 > VM_KVM_GRACE_S) {
			/*
			 * The probe's few instructions ran, the kernel does not: nested
			 * KVM that hangs on a real guest.
			 */
			kill(b->pid, SIGKILL);
			waitpid(b->pid, &b->status, 0);
			return VM_WATCH_KVM_STALLED;
		}
		if (got_signal || b->idle || (o->timeout_s && t - b->t0 > o->timeout_s) ||
		    (!b->started && o->boot_timeout_s && t - b->t0 > o->boot_timeout_s)) {
			b->timed_out = !got_signal;
			vm_qemu_stop(b);
			break;
		}
		if (waitpid(b->pid, &b->status, WNOHANG) == b->pid) {
			/*
			 * qemu itself gave up before COMMAND under a probed KVM (seen:
			 * "failed to set MSR 0x10a" and an assertion in nested KVM):
			 * the same verdict on KVM as a stall, not on the guest.
			 */
			if (b->kvm && o->kvm == -1 && !b->started)
				return VM_WATCH_KVM_FAILED;
			b->exited = true;
		}
	}
	return VM_WATCH_ENDED;
}

void vm_watch_drain(struct vm_boot *b)
{
	if (b->out_fd >= 0)
		copy_output(b->out_fd);
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

/* qemu ended by itself: COMMAND's status when the guest wrote one, else what the console says. */
static int guest_status(const struct vm_boot *b)
{
	char *panic;
	int st;

	if (vm_ctl_status(b, &st) == 0)
		return st;
	if ((panic = console_find(b->console, "Kernel panic - not syncing"))) {
		fprintf(stderr, "faultsweep vm: kernel panic: %s (console: %s)\n", panic, b->console);
		free(panic);
		return FS_EXIT_VM_PANIC;
	}
	if (!b->started) {
		fprintf(stderr, "faultsweep vm: the guest never reached COMMAND; "
			"last console lines (%s):\n", b->console);
		console_tail(b->console, 20);
		return FS_EXIT_VM_NOBOOT;
	}
	fprintf(stderr, "faultsweep vm: the guest stopped without an exit status "
		"(qemu %s %d; console: %s)\n",
		WIFEXITED(b->status) ? "exit" : "signal",
		WIFEXITED(b->status) ? WEXITSTATUS(b->status) : WTERMSIG(b->status), b->console);
	return FS_EXIT_VM_LOST;
}

int vm_exit_code(const struct vm_boot *b)
{
	const struct fs_vm_opts *o = b->o;

	if (got_signal) {
		fprintf(stderr, "faultsweep vm: interrupted by signal %d, qemu stopped\n",
			(int)got_signal);
		return FS_EXIT_INTERRUPTED;
	}
	if (b->idle) {
		fprintf(stderr, "faultsweep vm: no progress in %s for %u s: the guest is "
			"considered hung; qemu killed (console: %s)\n", o->watch_file,
			o->idle_timeout_s, b->console);
		return FS_EXIT_VM_TIMEOUT;
	}
	if (b->timed_out && b->started) {
		fprintf(stderr, "faultsweep vm: timed out after %u s; qemu killed (console: %s)\n",
			o->timeout_s, b->console);
		return FS_EXIT_VM_TIMEOUT;
	}
	if (b->timed_out) {
		fprintf(stderr, "faultsweep vm: the guest did not reach COMMAND within %u s; "
			"last console lines (%s):\n", o->boot_timeout_s, b->console);
		console_tail(b->console, 20);
		return FS_EXIT_VM_NOBOOT;
	}
	return guest_status(b);
}
