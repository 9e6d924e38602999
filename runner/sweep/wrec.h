/* The fixed-size record a worker sends its supervisor through a pipe, one per event. */
#ifndef FS_WREC_H
#define FS_WREC_H

#include <limits.h>
#include <stdint.h>

enum wrec_type {
	WREC_BEGIN = 1,  /* step nth starts (lets the supervisor blame a crash or hang) */
	WREC_STEP,       /* step nth finished; fields below hold its outcome */
	WREC_END,        /* the sweep reached its end: nth did not fire; points is final */
	WREC_BROK,       /* setup/teardown broke without a fault (msg has file:line) */
	WREC_CONF,       /* the case cannot run here (msg says why) */
};

enum wrec_flags {
	WREC_FIRED     = 1u << 0,  /* fail-nth read back 0: the fault was injected */
	WREC_RETRIED   = 1u << 1,  /* the retry oracle ran: retry_ret/retry_err valid */
	WREC_FD_LEAK   = 1u << 2,  /* the failed call left a new descriptor behind */
	WREC_NONDET    = 1u << 3,  /* fault points of the case differ between runs */
	WREC_READ_FAIL = 1u << 4,  /* fail-nth could not be read back */
	WREC_LOST      = 1u << 5,  /* made by the supervisor: the worker died or hung mid-step */
};

/* Fits PIPE_BUF, so each write(2) is atomic. */
struct fs_wrec {
	uint32_t type;
	uint32_t nth;
	uint32_t flags;
	int32_t err;          /* errno of the call (0 when it succeeded) */
	int64_t ret;          /* return value of the call */
	int64_t retry_ret;
	int32_t retry_err;
	int32_t pid;          /* the worker's pid */
	uint32_t remaining;   /* fail-nth read back when the fault did not fire */
	uint32_t points;      /* WREC_END: fault points the call passed */
	uint64_t t_us;        /* duration of the step */
	char msg[192];        /* BROK/CONF: why, with file:line */
	/*
	 * WREC_STEP that fired, with --sites: the fail-nth-site text as read
	 * (fault name, then frames; cut at a line end when it did not fit),
	 * "" when the kernel recorded nothing. The supervisor picks the site.
	 */
	char site[1536];
};

_Static_assert(sizeof(struct fs_wrec) <= PIPE_BUF, "a worker record must fit PIPE_BUF");

/*
 * The other direction, on the ack pipe: one byte per journaled step record
 * while a case runs; between cases, when the worker is idle, the next case
 * to sweep as one struct fs_wcmd (the case process has read every ack of
 * its steps before it ends, so nothing else is left in the pipe). The
 * write end closed means: no more cases, exit.
 */
#define WCMD_MAGIC 0x63777366u  /* "fswc" */

struct fs_wcmd {
	uint32_t magic;
	uint32_t from;        /* first N (> 1 after a crash or --resume) */
	uint32_t max_nth;     /* 0 = none */
	uint8_t retry;        /* run the retry oracle */
	uint8_t sites;        /* send each fired step's fail-nth-site */
	char name[128];       /* the case */
	char dir[512];        /* its private directory */
};

_Static_assert(sizeof(struct fs_wcmd) <= PIPE_BUF, "a case command must fit PIPE_BUF");

struct fs_harness;
struct fs_verdict;

/**
 * wrec_judge() - the verdict of a WREC_STEP, WREC_BROK or WREC_CONF record
 * @r of harness @h with the fault types @faults on: the record's outcome
 * handed to the oracles (runner/sweep/oracle.h).
 */
void wrec_judge(const struct fs_harness *h, unsigned faults, const struct fs_wrec *r,
		struct fs_verdict *v);

#endif
