/* The host side of `run --vm`: boot the test kernel, run the sweep inside, resume after a dead kernel. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/cli.h"
#include "runner/exitcodes.h"
#include "runner/fsutil.h"
#include "runner/kbuild.h"
#include "runner/reporting.h"
#include "runner/resume.h"
#include "runner/run.h"
#include "runner/vm.h"
#include "runner/vmresume.h"

/*
 * The build directory of the kernel that boots: BZIMAGE's tree when it sits
 * at arch/x86/boot/bzImage of one, else the cached default build. -ENOENT
 * when there is none.
 */
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

/* Re-run ourselves inside the test VM with the same arguments minus the VM ones. */
int run_in_vm(const struct run_opts *ro, int argc, char **argv)
{
	struct fs_vm_opts vo = { .out = ro->out, .mem_mb = 2048, .boot_timeout_s = 120,
				 .loglevel = 4, .kvm = -1, .kernel = ro->kernel, .quiet = ro->quiet };
	char self[PATH_MAX], out[PATH_MAX], journal[PATH_MAX + 16], append[64];
	char kenv[PATH_MAX + 32], *envs[1];
	char **args = calloc(argc + 8, sizeof(*args));
	bool resumed = false;
	int i, n = 0, rc, restarts = 0, reboots = 0;
	ssize_t len;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (!args || len < 0)
		return FS_EXIT_SETUP;
	self[len] = 0;
	if (fs_mkdir_p(ro->out)) {
		fprintf(stderr, "faultsweep run: --out %s: %s\n", ro->out, strerror(errno));
		return FS_EXIT_IO;
	}
	if (!realpath(ro->out, out))
		return FS_EXIT_IO;
	args[n++] = self;
	args[n++] = "run";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--vm") || !strcmp(argv[i], "--panic-on-warn") ||
		    !strcmp(argv[i], "--panic-on-oops"))
			continue;
		if (!strcmp(argv[i], "--resume"))
			resumed = true;
		if (!strcmp(argv[i], "--kernel") || !strcmp(argv[i], "--out")) {
			i++;
			continue;
		}
		if (!strncmp(argv[i], "--kernel=", 9) || !strncmp(argv[i], "--out=", 6))
			continue;
		args[n++] = argv[i];
	}
	args[n++] = "--out";
	args[n++] = out;
	args[n++] = "--no-report";	/* made here, where vmlinux and genhtml are */
	vo.argv = args;
	vo.argc = n;
	/* The guest journals where its kernel was built: report finds vmlinux there. */
	if (kernel_build_dir(ro->kernel, kenv + 16, sizeof(kenv) - 16) == 0) {
		memcpy(kenv, "FS_KERNEL_BUILD=", 16);
		envs[0] = kenv;
		vo.env = envs;
		vo.envc = 1;
	}
	snprintf(append, sizeof(append), "%s%s", ro->panic_on_warn ? "panic_on_warn=1 " : "",
		 ro->panic_on_oops ? "oops=panic " : "");
	vo.append = append;
	snprintf(journal, sizeof(journal), "%s/journal.jsonl", out);
	vo.watch_file = journal;
	/* No journal growth for several per-step timeouts: the kernel is stuck. */
	vo.idle_timeout_s = ro->timeout_s * 4 + 60;
	for (;;) {
		char console[PATH_MAX + 16], kept[PATH_MAX + 32];

		rc = vm_run(&vo);
		if (rc == FS_EXIT_REBOOT && ++reboots <= 50) {
			/* A module stuck half-loaded: a fresh kernel, the sweep goes on. */
			if (!resumed) {
				args[vo.argc++] = "--resume";
				resumed = true;
			}
			continue;
		}
		if (rc != FS_EXIT_VM_PANIC && rc != FS_EXIT_VM_LOST && rc != FS_EXIT_VM_TIMEOUT)
			break;
		if (++restarts > 20) {
			fprintf(stderr, "faultsweep run: the kernel died 20 times; giving up "
				"(journal: %s)\n", journal);
			break;
		}
		snprintf(console, sizeof(console), "%s/console.log", out);
		snprintf(kept, sizeof(kept), "%s/console.crash%d.log", out, restarts);
		rename(console, kept);
		if (vmr_record_crash(out, rc, kept))
			break;
		if (!resumed) {
			args[vo.argc++] = "--resume";
			resumed = true;
		}
	}
	if (restarts)
		fprintf(stderr, "faultsweep run: the kernel died %d time(s); each death is a "
			"FAIL step in %s\n", restarts, journal);
	if (reboots)
		fprintf(stderr, "faultsweep run: rebooted %d time(s) for a module stuck "
			"after a failed step (notes in %s)\n", reboots, journal);
	free(args);
	if (restarts && rc == FS_EXIT_OK)
		rc = FS_EXIT_FINDINGS;
	if (!ro->no_report && access(journal, F_OK) == 0 &&
	    fs_report_after_run(journal, out) && rc == FS_EXIT_OK)
		rc = FS_EXIT_IO;
	return rc;
}
