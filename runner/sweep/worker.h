/*
 * The worker: a process per -j slot that serves case after case; each case
 * runs in a process of its own (a clone sharing only the worker's address
 * space), kept across all N, driving setup → arm → call → disarm → teardown.
 */
#ifndef FS_WORKER_H
#define FS_WORKER_H

#include <stdbool.h>

#include "harness/harness.h"
#include "runner/capture/kmods.h"
#include "runner/sweep/wrec.h"

enum wrk_abandon_kind { WRK_ABANDON_BROK, WRK_ABANDON_CONF };

/**
 * wrk_abandon() - end the current step from inside harness code (via
 * SAFE()/FS_CONF()), disarming fail-nth first. Does not return.
 */
__attribute__((noreturn))
void wrk_abandon(enum wrk_abandon_kind kind, const char *file, int line, int err,
		 const char *what);

/*
 * What a worker keeps across the cases it serves, in the memory it shares
 * with each case's process: descriptors every case needs, opened once, and
 * the modules already announced in the kernel log.
 */
struct wrk_keep {
	int kmsg_fd;            /* /dev/kmsg for the step markers; -1 when not writable */
	int modules_fd;         /* /sys/module: its link count moves when a module comes or goes; -1 */
	unsigned modules_links; /* the link count when /proc/modules was last read (0: never) */
	struct kmods_seen mods; /* modules announced in the kernel log (runner/capture/kmods.h) */
};

struct wrk_opts {
	const struct fs_harness *h;
	unsigned from;      /* first N to sweep (> 1 after a crash or --resume) */
	unsigned max_nth;   /* 0 = until the fault stops firing */
	bool retry;         /* run the retry oracle */
	bool clean_only;    /* run the fault-free step only (harness self-check) */
	bool sites;         /* send the fail-nth-site of each fired step (fs_wrec.site) */
	int out_fd;         /* records go here */
	int ack_fd;         /* the supervisor acks each journaled step here; -1 = none */
	const char *dir;    /* private directory for fs_ctx.dir */
	struct wrk_keep *keep;	/* the serving worker's, or NULL: this process's own */
};

/**
 * wrk_main() - run the sweep of one case in this (single-threaded) process.
 * The last record (END, CONF or BROK) follows a "faultsweep: done" marker in
 * the kernel log, and with an ack pipe wrk_main() returns only once every
 * step record is journaled, so the pipe is empty for the next case.
 * Returns 0 when every record was sent, -errno otherwise.
 */
int wrk_main(const struct wrk_opts *o);

/**
 * wrk_serve() - the worker process: read case commands (struct fs_wcmd) from
 * @ack_fd and sweep each case in a new process that shares this one's
 * address space and nothing else (clone(CLONE_VM)): credentials,
 * namespaces, seccomp filters, rlimits, cwd, umask, signal state, keyrings
 * and the descriptor table start as this process's and end with the case.
 * Returns 0 at the end of the commands, or when the address space is no
 * longer as it was (an mm-wide setting changed: the supervisor starts a
 * fresh worker); a case process that dies by a signal takes this process
 * down with the same signal, so the supervisor sees the death as before.
 */
int wrk_serve(int out_fd, int ack_fd);

#endif
