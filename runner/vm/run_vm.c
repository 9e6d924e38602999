/* The host side of `run --vm` and `exec --vm`: boot the test kernel, run the command inside, resume after a dead kernel. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/base/exitcodes.h"
#include "journal/outdir.h"
#include "runner/vm/kbuild.h"
#include "runner/vm/run_vm.h"
#include "reports/make.h"
#include "runner/vm/vm.h"
#include "runner/vm/vmresume.h"

/*
 * The build directory of the kernel that boots: BZIMAGE's tree when it sits
 * at arch/x86/boot/bzImage of one, else the cached default build. -ENOENT
 * when there is none.
 */
/* Boots of one run that may die before COMMAND before it gives up (exit 121). */
#define VM_NOBOOT_RETRIES 3

static int kernel_build_dir(const char *bzimage, char *buf, size_t len)
{
	static const char tail[] = "/arch/x86/boot/bzImage";
	char path[PATH_MAX];
	size_t n;

	if (bzimage) {
		if (!realpath(bzimage, path))
			return -errno;
	} else if (kbuild_default_bzimage(path, sizeof(path))) {
		return -ENOENT;
	}
	n = strlen(path);
	if (n <= sizeof(tail) - 1 || strcmp(path + n - (sizeof(tail) - 1), tail))
		return -ENOENT;
	path[n - (sizeof(tail) - 1)] = 0;
	snprintf(buf, len, "%s", path);
	return 0;
}

int run_vm_self(const struct run_vm_self *so, int argc, char **argv)
{
	struct fs_vm_opts vo = { .out = so->out, .mem_mb = 2048, .boot_timeout_s = 120,
				 .loglevel = 4, .kvm = -1, .kernel = so->kernel, .quiet = so->quiet };
	char self[PATH_MAX], out[PATH_MAX], journal[PATH_MAX + 16], append[64];
	char kenv[PATH_MAX + 32], *envs[65];
	char **e;
	char **args = calloc(argc + 8, sizeof(*args));
	bool resumed = false, recorded = false;
	int i, n = 0, rc, restarts = 0, reboots = 0, noboots = 0;
	ssize_t len;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (!args || len < 0) {
		rc = FS_EXIT_SETUP;
		goto out;
	}
	self[len] = 0;
	if (fs_mkdir_p(so->out)) {
		fprintf(stderr, "faultsweep %s: --out %s: %s\n", so->cmd, so->out, strerror(errno));
		rc = FS_EXIT_IO;
		goto out;
	}
	if (!realpath(so->out, out)) {
		rc = FS_EXIT_IO;
		goto out;
	}
	args[n++] = self;
	args[n++] = (char *)so->cmd;
	/* Right after the command: before any "--" that ends its options. */
	args[n++] = "--out";
	args[n++] = out;
	args[n++] = "--no-report";	/* made here, where vmlinux and genhtml are */
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--resume"))
			resumed = true;
		args[n++] = argv[i];
	}
	vo.argv = args;
	vo.argc = n;
	/* The guest journals where its kernel was built: report finds vmlinux there. */
	if (kernel_build_dir(so->kernel, kenv + 16, sizeof(kenv) - 16) == 0) {
		memcpy(kenv, "FS_KERNEL_BUILD=", 16);
		envs[vo.envc++] = kenv;
	}
	/*
	 * FS_* variables go in too: corpus scenarios name their modules and
	 * programs with them ($FS_PLANTED_KO), and the guest expands them.
	 */
	for (e = environ; *e && vo.envc < 64; e++)
		if (!strncmp(*e, "FS_", 3) && strncmp(*e, "FS_KERNEL_BUILD=", 16) &&
		    !strchr(*e, '\n'))
			envs[vo.envc++] = *e;
	vo.env = envs;
	snprintf(append, sizeof(append), "%s%s", so->panic_on_warn ? "panic_on_warn=1 " : "",
		 so->panic_on_oops ? "oops=panic " : "");
	vo.append = append;
	snprintf(journal, sizeof(journal), "%s/journal.jsonl", out);
	vo.watch_file = journal;
	/* No journal growth for several per-step timeouts: the kernel is stuck. */
	vo.idle_timeout_s = so->timeout_s * 4 + 60;
	for (;;) {
		char console[PATH_MAX + 16], kept[PATH_MAX + 32];

		rc = vm_run(&vo);
		if (rc == FS_EXIT_REBOOT && so->resume && ++reboots <= 50) {
			/* A module stuck half-loaded: a fresh kernel, the sweep goes on. */
			if (!resumed) {
				args[vo.argc++] = "--resume";
				resumed = true;
			}
			continue;
		}
		if (rc == FS_EXIT_VM_NOBOOT && ++noboots <= VM_NOBOOT_RETRIES) {
			/*
			 * The guest died before COMMAND: nothing of the sweep ran, so
			 * nothing is lost by booting again (seen under TCG on a loaded
			 * host: a KASAN report in an interrupt during start_kernel).
			 */
			snprintf(console, sizeof(console), "%s/console.log", out);
			snprintf(kept, sizeof(kept), "%s/console.noboot%d.log", out, noboots);
			rename(console, kept);
			fprintf(stderr, "faultsweep %s: the guest did not reach COMMAND; booting "
				"again (console kept in %s)\n", so->cmd, kept);
			continue;
		}
		if (rc != FS_EXIT_VM_PANIC && rc != FS_EXIT_VM_LOST && rc != FS_EXIT_VM_TIMEOUT)
			break;
		if (++restarts > 20) {
			fprintf(stderr, "faultsweep %s: the kernel died 20 times; giving up "
				"(journal: %s)\n", so->cmd, journal);
			break;
		}
		snprintf(console, sizeof(console), "%s/console.log", out);
		snprintf(kept, sizeof(kept), "%s/console.crash%d.log", out, restarts);
		rename(console, kept);
		if (vmr_record_crash(out, rc, kept))
			break;
		recorded = true;
		if (!so->resume)
			break;
		if (!resumed) {
			/* Among our options, before any "--" that ends them. */
			memmove(args + 3, args + 2, (vo.argc - 2) * sizeof(*args));
			args[2] = "--resume";
			vo.argc++;
			resumed = true;
		}
	}
	if (restarts)
		fprintf(stderr, "faultsweep %s: the kernel died %d time(s); each death is a "
			"FAIL step in %s\n", so->cmd, restarts, journal);
	if (reboots)
		fprintf(stderr, "faultsweep %s: rebooted %d time(s) for a module stuck "
			"after a failed step (notes in %s)\n", so->cmd, reboots, journal);
	/* Without resume the death is the last thing journaled: a FAIL step. */
	if (restarts && (rc == FS_EXIT_OK || (!so->resume && recorded)))
		rc = FS_EXIT_FINDINGS;
	if (!so->no_report && access(journal, F_OK) == 0 &&
	    report_after_run(journal, out) && rc == FS_EXIT_OK)
		rc = FS_EXIT_IO;
out:
	free(args);
	return rc;
}

bool run_vm_host_arg(char **argv, int *i)
{
	const char *a = argv[*i];

	if (!strcmp(a, "--vm") || !strcmp(a, "--panic-on-warn") || !strcmp(a, "--panic-on-oops"))
		return true;
	if (!strcmp(a, "--kernel") || !strcmp(a, "--out")) {
		if (argv[*i + 1])
			++*i;
		return true;
	}
	return !strncmp(a, "--kernel=", 9) || !strncmp(a, "--out=", 6);
}
