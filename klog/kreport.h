/*
 * Extraction of kernel bug reports (KASAN, WARNING, Oops, lockdep, kmemleak...)
 * from the kernel log, fed line by line, each titled for dedup as syzkaller does.
 *
 * Pull API: feed lines in log order with kreport_feed() (console text, with or
 * without "[   12.345678] " timestamps) or kreport_feed_kmsg() (parsed
 * /dev/kmsg records); both return how many finished reports wait in the
 * parser; take them with kreport_next() and release each with kreport_free().
 * A report is finished at its end marker ("=====", "---[ end trace", the end
 * of its last stack) once the next line shows nothing more belongs to it (a
 * panic or register summary that follows is folded in), at the next
 * unrelated report, or at kreport_flush(), which a caller makes when the log
 * ends (case boundary, VM death).
 *
 * Fault-injection dumps ("FAULT_INJECTION: forcing a failure"), allocation
 * failure warnings and kobject/sysfs duplicate warnings are context, never
 * reports, even when a real report interleaves with them. A recognised start
 * that is cut short is still reported, with complete == false.
 */
#ifndef FS_KREPORT_H
#define FS_KREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "klog/kmsg.h"

enum kreport_kind {
	KREPORT_UNKNOWN,
	KREPORT_KASAN,
	KREPORT_KFENCE,
	KREPORT_UBSAN,
	KREPORT_WARNING,
	KREPORT_BUG,
	KREPORT_KERNEL_BUG,
	KREPORT_OOPS,
	KREPORT_GPF,
	KREPORT_LOCKDEP,
	KREPORT_HUNG_TASK,
	KREPORT_RCU_STALL,
	KREPORT_REFCOUNT,
	KREPORT_LIST_CORRUPTION,
	KREPORT_PANIC,
	KREPORT_MEMORY_LEAK,
	KREPORT_NR_KINDS,
};

#define KREPORT_SYM_MAX		128
#define KREPORT_MOD_MAX		64
#define KREPORT_TITLE_MAX	256
#define KREPORT_COMM_MAX	64
#define KREPORT_TRACK_MAX	8

/* One stack frame, "foo_init+0x12/0x30 [planted]" → { "foo_init", "planted" }. */
struct kreport_frame {
	char func[KREPORT_SYM_MAX];	/* compiler suffixes (.isra.0, .cold) dropped */
	char module[KREPORT_MOD_MAX];	/* "" for vmlinux */
};

/* KASAN "Allocated by task N:" / "Freed by task N:", KFENCE "allocated by task N". */
struct kreport_track {
	int pid;			/* -1 when the report has no such stack */
	int nframes;			/* first frames past allocator and KASAN internals */
	struct kreport_frame frames[KREPORT_TRACK_MAX];
};

struct kreport {
	enum kreport_kind kind;
	char title[KREPORT_TITLE_MAX];	/* "KASAN: slab-use-after-free Read in foo_release" */
	struct kreport_frame guilty;	/* first frame outside allocator/debug plumbing */
	char file[128];			/* WARNING, kernel BUG, UBSAN, sleeping-in-atomic source */
	int line;			/* 0 when unknown */
	char func[KREPORT_SYM_MAX];	/* the function the header line names */
	char bug_type[64];		/* KASAN/KFENCE/UBSAN bug type, lockdep variant */
	char access[8];			/* KASAN/KFENCE "Read", "Write", "Free" or "" */
	uint64_t access_size;		/* KASAN, 0 when not printed */
	uint64_t addr;			/* KASAN/KFENCE/page-fault address */
	bool have_addr;
	struct kreport_track alloc, freed;
	int pid;			/* -1 when unknown */
	char comm[KREPORT_COMM_MAX];
	uint64_t seq, usec;		/* of the first line */
	bool complete;			/* its end marker was seen */
	bool panicked;			/* "Kernel panic - not syncing" followed it */
	size_t raw_len;
	char *raw;			/* all its lines as fed, '\n'-separated, NUL-terminated */
};

struct kreport_parser;

/** kreport_new() - a parser with nothing pending; NULL on ENOMEM. */
struct kreport_parser *kreport_new(void);

/** kreport_destroy() - free @p and every report not yet taken. NULL is fine. */
void kreport_destroy(struct kreport_parser *p);

/**
 * kreport_feed() - feed the next log line.
 * @p: the parser
 * @line: one console line or message text; embedded '\n's split it into lines.
 *        Optional "<4>", "[   12.345678]" and "[  T123]" prefixes are stripped.
 * @seq: its /dev/kmsg sequence number, or 0
 * @usec: its time stamp; 0 takes the console time stamp when there is one
 *
 * Return: the number of finished reports waiting, or -EINVAL / -ENOMEM.
 */
int kreport_feed(struct kreport_parser *p, const char *line, uint64_t seq, uint64_t usec);

/**
 * kreport_feed_kmsg() - feed a record from kmsg_parse_record(); its caller id
 * (CONFIG_PRINTK_CALLER) separates the lines of reports printed concurrently.
 *
 * Return: as kreport_feed().
 */
int kreport_feed_kmsg(struct kreport_parser *p, const struct kmsg_rec *r);

/**
 * kreport_flush() - the log ended: finish the report in progress, even if cut short.
 *
 * Return: the number of finished reports waiting, or -EINVAL.
 */
int kreport_flush(struct kreport_parser *p);

/** kreport_next() - take the oldest finished report (the caller owns it), or NULL. */
struct kreport *kreport_next(struct kreport_parser *p);

/** kreport_free() - free a report from kreport_next(). NULL is fine. */
void kreport_free(struct kreport *r);

/** kreport_kind_str() - the stable name of @kind: "KASAN", "hung-task"; "unknown" if out of range. */
const char *kreport_kind_str(enum kreport_kind kind);

#endif
