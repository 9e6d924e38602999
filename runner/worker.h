/* The worker: one process per case, kept across all N, driving setup → arm → call → disarm → teardown. */
#ifndef FS_WORKER_H
#define FS_WORKER_H

#include <stdbool.h>

#include "runner/harness.h"
#include "runner/wrec.h"

enum wrk_abandon_kind { WRK_ABANDON_BROK, WRK_ABANDON_CONF };

/**
 * wrk_abandon() - end the current step from inside harness code (via
 * SAFE()/FS_CONF()), disarming fail-nth first. Does not return.
 */
__attribute__((noreturn))
void wrk_abandon(enum wrk_abandon_kind kind, const char *file, int line, int err,
		 const char *what);

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
};

/**
 * wrk_main() - run the sweep of one case in this (single-threaded) process.
 * Returns 0 when every record was sent, -errno otherwise.
 */
int wrk_main(const struct wrk_opts *o);

#endif
