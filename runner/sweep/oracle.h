/* Oracles: turning a worker's step record into a verdict with findings. */
#ifndef FS_ORACLE_H
#define FS_ORACLE_H

#include <stdbool.h>

#include "harness/harness.h"
#include "journal/verdict.h"
#include "runner/sweep/wrec.h"

#define FS_MAX_FINDINGS 4

struct fs_verdict {
	enum fs_verdict_kind kind;
	int nfind;
	struct fs_finding find[FS_MAX_FINDINGS];
	bool swallowed;     /* fault fired, call succeeded anyway: recorded, not a failure */
	char reason[200];   /* BROK/CONF: why */
};

/* Which fault types may fire (--faults). */
enum fs_fault_mask {
	FS_FAULT_SLAB     = 1u << 0,
	FS_FAULT_PAGE     = 1u << 1,
	FS_FAULT_USERCOPY = 1u << 2,
	FS_FAULT_FUTEX    = 1u << 3,
};

/**
 * oracle_errno_expected() - whether @err is an acceptable result of a failed
 * allocation in @h: ENOMEM, the case's errnos, EFAULT when usercopy faults are on.
 */
bool oracle_errno_expected(const struct fs_harness *h, unsigned faults, int err);

/** oracle_judge() - verdict of a WREC_STEP/WREC_BROK/WREC_CONF record. */
void oracle_judge(const struct fs_harness *h, unsigned faults, const struct fs_wrec *r,
		  struct fs_verdict *v);

/** oracle_killed() - verdict for a worker that died by @sig during step @nth. */
void oracle_killed(const struct fs_harness *h, int sig, struct fs_verdict *v);

/** oracle_hang() - verdict for a step that outlived the per-step timeout. */
void oracle_hang(const struct fs_harness *h, unsigned timeout_s, struct fs_verdict *v);

/** oracle_errno_name() - "ENOMEM" for ENOMEM, "E?" when unknown. */
const char *oracle_errno_name(int err);

#endif
