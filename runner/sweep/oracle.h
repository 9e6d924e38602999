/*
 * Oracles: what a step's call did, turned into a verdict with findings.
 * The input is the call's outcome (struct oracle_step), not a wire format:
 * the supervisor fills it from a worker's record (wrec_judge()), the exec
 * engine from a traced run, and both judge errnos, swallowed faults and
 * no-fault failures here; each adds only the checks it alone can make.
 */
#ifndef FS_ORACLE_H
#define FS_ORACLE_H

#include <stdbool.h>
#include <stdint.h>

#include "harness/harness.h"
#include "journal/verdict.h"
#include "runner/inject/knobs.h"

#define FS_MAX_FINDINGS 4

struct fs_verdict {
	enum fs_verdict_kind kind;
	int nfind;
	struct fs_finding find[FS_MAX_FINDINGS];
	bool swallowed;     /* fault fired, call succeeded anyway: recorded, not a failure */
	char reason[200];   /* BROK/CONF: why */
};

/* What a case accepts from a call whose allocation failed. */
struct oracle_case {
	const char *name;       /* in finding titles */
	const int *errnos;      /* expected besides ENOMEM: 0-terminated (fs_harness.errnos), or NULL */
	unsigned faults;        /* fs_fault_mask: EFAULT is expected when usercopy faults are on */
	/*
	 * The call's result is not the oracle's to judge (exec: an unmodified
	 * program's syscall, whose handling its exit and crashes show): any
	 * errno is expected, and a call may fail when no fault fired.
	 */
	bool any_result;
};

/* What one step's call did. */
struct oracle_step {
	bool fired;             /* the fault was injected: fail-nth read back 0 */
	bool read_fail;         /* fail-nth could not be read back */
	bool has_ret;           /* ret and err are known (a traced thread may die in the call) */
	int64_t ret;            /* the call's return value */
	int err;                /* its errno when it failed, else 0 */
	bool fd_leak;           /* the failed call left a new descriptor behind */
	bool retried;           /* the retry ran: retry_ret and retry_err hold its result */
	int64_t retry_ret;
	int retry_err;
};

/** oracle_errno_name() - "ENOMEM" for ENOMEM, "E?" when unknown. */
const char *oracle_errno_name(int err);

/** oracle_case_of() - what harness @h accepts when the fault types @faults may fire. */
void oracle_case_of(const struct fs_harness *h, unsigned faults, struct oracle_case *oc);

/**
 * oracle_errno_expected() - whether @err is an acceptable result of a failed
 * allocation in @oc: ENOMEM, the case's errnos, EFAULT when usercopy faults
 * are on; any errno with @oc->any_result.
 */
bool oracle_errno_expected(const struct oracle_case *oc, int err);

/**
 * oracle_judge() - the verdict of step @in of @oc. BROK when fail-nth was
 * unreadable, or when the call failed although no fault fired (unless
 * @oc->any_result); swallowed when the fault fired and the call succeeded;
 * else FAIL with one finding per oracle that objects: unexpected-errno,
 * fd-leak, retry-failed.
 */
void oracle_judge(const struct oracle_case *oc, const struct oracle_step *in,
		  struct fs_verdict *v);

/**
 * oracle_abandoned() - the verdict of a step the harness abandoned: CONF
 * (@conf: it cannot run here) or BROK (it broke without a fault), @why.
 */
void oracle_abandoned(bool conf, const char *why, struct fs_verdict *v);

/** oracle_killed() - verdict for a worker that died by @sig during a step of @h. */
void oracle_killed(const struct fs_harness *h, int sig, struct fs_verdict *v);

/** oracle_hang() - verdict for a step that outlived the per-step timeout. */
void oracle_hang(const struct fs_harness *h, unsigned timeout_s, struct fs_verdict *v);

#endif
