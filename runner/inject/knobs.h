/* The debugfs fault-injection knobs faultsweep changes, and their restoration. */
#ifndef FS_KNOBS_H
#define FS_KNOBS_H

#include <stdbool.h>
#include <stddef.h>

/* Which fault types may fire (--faults). */
enum fs_fault_mask {
	FS_FAULT_SLAB     = 1u << 0,
	FS_FAULT_PAGE     = 1u << 1,
	FS_FAULT_USERCOPY = 1u << 2,
	FS_FAULT_FUTEX    = 1u << 3,
};

/**
 * knobs_apply() - configure failslab, fail_page_alloc, fail_usercopy and
 * fail_futex for a sweep: ignore-gfp-wait=N, ignore-gfp-highmem=N,
 * min-order=0, verbose=@verbose (with its ratelimit off when @verbose > 0:
 * every dump is a coverage-map site), and an empty stacktrace require-range for
 * every fault type not in @faults (fs_fault_mask), so it neither fires nor
 * counts. Remembers every original value first. 0 or -errno with @why set.
 */
int knobs_apply(unsigned faults, unsigned verbose, char *why, size_t len);

/**
 * knobs_restore() - put back every value knobs_apply() changed.
 * Async-signal-safe, idempotent; also installed for fatal signals.
 */
void knobs_restore(void);

/** knobs_parse_faults() - "slab,page" → mask; -1 on an unknown name (named in @bad). */
int knobs_parse_faults(const char *list, char *bad, size_t len);

/**
 * knobs_faults_opt() - the --faults option of command @cmd: the mask, or
 * -EINVAL after a message naming the unknown fault type.
 */
int knobs_faults_opt(const char *cmd, const char *list);

#endif
