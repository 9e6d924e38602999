/*
 * The interface between the kreport core and the per-family parsers
 * (kasan.c, bug.c, lockdep.c, kmemleak.c, stall.c). The files call one way,
 * bottom to top: kreport.c (the record and the queue), frames.c (line and
 * frame parsing, blame), the families, route.c (each line to its report),
 * feed.c (the public entry points: lines and records in, flush).
 */
#ifndef FS_KREPORT_INT_H
#define FS_KREPORT_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "klog/kreport.h"

#define KR_LINE_MAX	1024	/* longer lines are parsed on their first KR_LINE_MAX - 1 bytes */
#define KR_MAIN_MAX	48	/* frames of the main stack kept for picking the guilty one */

/* Which list a frame line belongs to. */
enum kr_section {
	KR_SEC_NONE,
	KR_SEC_MAIN,		/* "Call Trace:", or a KFENCE/kmemleak stack */
	KR_SEC_ALLOC,
	KR_SEC_FREE,
	KR_SEC_OTHER,		/* lockdep chains, aux stacks: not used for blame */
};

/* What a family's line hook tells the core about a line of its report. */
enum kr_verdict {
	KR_MORE,		/* ours; the core also parses CPU:, RIP:, stacks, end trace */
	KR_TAKEN,		/* ours and fully handled */
	KR_END,			/* ours, and the report is complete with it */
	KR_NOT_OURS,		/* the report ended before this line; parse it afresh */
};

/* Guilty-frame policies (kreport_pick_guilty). */
enum kr_blame {
	KR_BLAME_STACK,		/* first usable frame of the main stack */
	KR_BLAME_HDR,		/* the function the header names, then the stack */
	KR_BLAME_RIP,		/* the RIP: function, then the stack */
	KR_BLAME_STALL,		/* RIP, then the frames past </IRQ>, then the stack */
	KR_BLAME_AT,		/* the stack, then lockdep's "at:" function */
};

struct kr_frame {
	struct kreport_frame f;
	bool reliable;		/* not a "? " frame */
	bool in_irq;		/* inside <IRQ>/<NMI>/<SOFTIRQ> */
};

/* Preface flags: lines seen just before a header ("cut here", the WARN message). */
#define KR_PRE_CUT	0x1u
#define KR_PRE_REFCOUNT	0x2u
#define KR_PRE_LIST	0x4u

struct kr_family;

/* A report being assembled. */
struct kr_cur {
	struct kreport *r;
	const struct kr_family *fam;
	int variant;		/* family-defined */
	enum kr_blame blame;
	enum kr_section sec;
	unsigned pre;		/* KR_PRE_* of the preface it took */
	bool have_cpu;		/* its own "CPU: N UID:" (or "task:") line was seen */
	bool in_stack;		/* between its "Call Trace:" and its "</TASK>" */
	bool stack_done;
	bool end_on_stack;	/* its first complete "Call Trace:" ends it */
	bool end_on_trace;	/* "---[ end trace" ends it */
	bool want_oops;		/* an "Oops:" line that follows belongs to it */
	bool tail_stacks;	/* more CPUs' stacks may follow its end (RCU stalls) */
	bool skip_wait;		/* blame skips scheduler/idle frames too */
	int irq_depth;
	int state;		/* family-defined */
	unsigned nlines;
	int64_t caller;		/* printk caller id, -1 unknown */
	int nmain;
	struct kr_frame main[KR_MAIN_MAX];
	bool have_hdr, have_rip, have_at;
	struct kreport_frame hdr;	/* the function the header line names */
	struct kreport_frame rip;	/* the first "RIP: 0010:func+0x..." */
	struct kreport_frame at;	/* lockdep: the "at: func" that names the culprit */
	char what[96];		/* family scratch: title stem ("scheduling while atomic") */
};

struct kr_family {
	/* The variant (>= 0) of the report @s starts, or -1. */
	int (*match)(const char *s);
	/* Set up @c for a report whose header @s matched as @variant. */
	void (*start)(struct kr_cur *c, const char *s, int variant);
	/* A later line of the report (NULL: always KR_MORE). */
	enum kr_verdict (*line)(struct kr_cur *c, const char *s);
	/* Fill in the title and guilty frame once the report ends. */
	void (*finish)(struct kr_cur *c);
};

extern const struct kr_family kreport_kasan_family;
extern const struct kr_family kreport_lockdep_family;
extern const struct kr_family kreport_kmemleak_family;
extern const struct kr_family kreport_stall_family;
extern const struct kr_family kreport_bug_family;

/* Variants of kreport_bug_family the core needs to know. */
enum {
	KR_BUG_WARNING,
	KR_BUG_UBSAN,
	KR_BUG_KERNEL_BUG,
	KR_BUG_PAGE_FAULT,	/* "BUG: kernel NULL pointer dereference", "unable to handle page fault" */
	KR_BUG_OTHER,		/* any other "BUG: " */
	KR_BUG_OOPS,
	KR_BUG_GPF,
	KR_BUG_PANIC,
};

static inline bool kr_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The "=====...=====" line that opens and closes KASAN, KFENCE and lockdep reports. */
static inline bool kr_separator(const char *s)
{
	size_t n = strspn(s, "=");

	return n >= 20 && s[n] == '\0';
}

/* The parser's state (kreport.c, route.c, feed.c). */

#define KR_RAW_MAX	(1u << 20)	/* raw text kept per report */
#define KR_REPORT_LINES	4000		/* a report that runs longer is cut here */
#define KR_PRE_BUDGET	16		/* lines a "cut here" preface waits for its header */
#define KR_CTX_BUDGET	300		/* lines a context dump may span */

/* A fault-injection or allocation-failure dump: its own stack is not a report's. */
struct kr_ctx {
	bool active, have_cpu, in_stack;
	int budget;
	int64_t caller;
};

/* "cut here", the WARN message or "refcount_t:"/"list_del corruption" before a header. */
struct kr_pre {
	unsigned flags;
	int budget, nmsg;
	uint64_t seq, usec;
	size_t len;
	char msg[128];		/* the first message line */
	char buf[4096];		/* the lines as fed; must stay last (cleared up to it) */
};

/* A "=====" line that may open the next KASAN/KFENCE/lockdep report. */
struct kr_sep {
	int budget;
	uint64_t seq, usec;
	char line[KR_LINE_MAX];
};

enum kr_tail { KR_TAIL_NONE, KR_TAIL_END, KR_TAIL_PANIC };

struct kreport_parser {
	bool active;
	enum kr_tail tail;
	struct kr_cur cur;
	struct kr_ctx ctx;
	struct kr_pre pre;
	struct kr_sep sep;
	struct kreport **q;
	size_t qhead, qlen, qcap;
	int err;
	char line[KR_LINE_MAX];
};

/* The record and the queue (kreport.c). */

/* A bounded copy of @len bytes of @src into @dst (@size bytes), always NUL-terminated. */
void kreport_copy(char *dst, size_t size, const char *src, size_t len);
void kreport_set_task(struct kreport *r, const char *comm, size_t len, int pid);
struct kreport *kreport_alloc(void);
void kreport_raw_append(struct kreport *r, const char *s, size_t len);
int kreport_queue(struct kreport_parser *p, struct kreport *r);
/* Finish the report being assembled and queue it. */
void kreport_emit(struct kreport_parser *p);

/* Lines, frames, symbols and blame (frames.c). */

/*
 * Parse "func+0x1a/0x40", optionally followed by " [module]", at @s. Returns
 * the end of what was parsed, or NULL when @s holds no symbol+offset.
 */
const char *kreport_parse_sym(const char *s, struct kreport_frame *f);
/* A stack line: " func+0x1a/0x40 [mod]", " ? func+...", "    [<ffffffff81000000>] func+...". */
bool kreport_parse_frame(const char *s, struct kreport_frame *f, bool *reliable);
/*
 * A function of the allocator, KASAN, fault injection, lockdep, printk or trap
 * plumbing; with @wait also the scheduler, timer interrupt and idle loop.
 */
bool kreport_skip_func(const char *func, bool wait);
/* " <IRQ>" is 1, " </IRQ>" is -1, " <TASK>" 2, " </TASK>" -2, anything else 0. */
int kreport_stack_marker(const char *s);
/* "CPU: 0 UID: 0 PID: 123 Comm: foo Not tainted ..." (also the pre-6.10 form without UID). */
bool kreport_parse_cpu_line(const char *s, int *pid, char *comm, size_t size);
/* Register dump lines: "RIP:", "Code:", "RSP:", "RAX:", "FS:", "CR2:"... */
bool kreport_is_reg_line(const char *s);
/* Parse "comm/123" or "comm:123" ending at @end (exclusive), split at the last @sep. */
bool kreport_parse_task(const char *s, const char *end, char sep, struct kreport *r);

/*
 * Skip "<4>", "[   12.345678]" and "[  T123]" console prefixes of the C string
 * @s; sets *@ts and *@caller when they are there. Returns the message text.
 */
const char *kreport_strip_prefix(const char *s, uint64_t *ts, int64_t *caller);
/* Choose r->guilty by @c->blame. */
void kreport_pick_guilty(struct kr_cur *c);
/* Title = printf(@fmt) + " in <guilty>" when a guilty frame is known. */
void kreport_title(struct kr_cur *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Add a frame to the track of @sec (alloc/free), skipping plumbing. */
void kreport_track_add(struct kreport_track *t, const struct kreport_frame *f);

/* Line routing (route.c). */

/* One log line: @s its message text, @orig the line as fed (kept in the raw text). */
void kreport_process(struct kreport_parser *p, const char *s, const char *orig, size_t olen,
		     uint64_t seq, uint64_t usec, int64_t caller);
/* Report a preface whose header never came, and forget it. */
void kreport_pre_expire(struct kreport_parser *p);

#endif
