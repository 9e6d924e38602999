/* Exit codes of every faultsweep command; docs/exit-codes.md explains each. */
#ifndef FS_EXITCODES_H
#define FS_EXITCODES_H

enum fs_exit {
	FS_EXIT_OK          = 0,   /* done, nothing found */
	FS_EXIT_FINDINGS    = 1,   /* run: at least one FAIL verdict */
	FS_EXIT_USAGE       = 2,   /* bad option, unknown case, malformed input */
	FS_EXIT_NOFAULT     = 3,   /* not root, no debugfs, no fail-nth in this kernel */
	FS_EXIT_SETUP       = 4,   /* missing qemu/kernel/tools, kernel build failed */
	FS_EXIT_BROKEN      = 5,   /* run: harness/runner breakage (BROK), no FAIL */
	FS_EXIT_IO          = 6,   /* could not write results (journal, out dir) */
	FS_EXIT_REBOOT      = 7,   /* run: a case left the kernel unusable (module stuck); reboot + --resume */

	/* faultsweep vm passes COMMAND's status through; its own failures use these */
	FS_EXIT_VM_PANIC    = 120, /* the guest kernel panicked */
	FS_EXIT_VM_NOBOOT   = 121, /* the guest never reached COMMAND */
	FS_EXIT_VM_LOST     = 122, /* the guest stopped without reporting a status */
	FS_EXIT_VM_TIMEOUT  = 124, /* --timeout expired, qemu killed */
	FS_EXIT_NOEXEC      = 126, /* exec: CMD is not executable (as in a shell) */
	FS_EXIT_NOTFOUND    = 127, /* exec: CMD was not found (as in a shell) */
	FS_EXIT_INTERRUPTED = 130, /* SIGINT/SIGTERM: stopped cleanly, results kept */
};

#endif
