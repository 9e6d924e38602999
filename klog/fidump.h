/*
 * Parsing of the kernel's fault-injection dumps: with a fault attribute's
 * verbose >= 2, lib/fault-inject.c prints
 *
 *     FAULT_INJECTION: forcing a failure.
 *     name failslab, interval 1, probability 0, space 0, times 1
 *     CPU: 0 UID: 0 PID: 420 Comm: fs-sweep Not tainted 6.12.0 #1
 *     Call Trace:
 *      <TASK>
 *      dump_stack_lvl+0x7d/0xa0
 *      should_fail_ex+0x4f3/0x5c0
 *      ...
 *      </TASK>
 *
 * each time it makes an allocation (or usercopy, or futex) fail. Every dump
 * becomes one struct fidump: the fault type, the task, the frames, and the
 * allocation site (the first reliable frame outside the fault-injection and
 * allocator machinery, fidump_is_machinery()). With verbose == 1 only the
 * first two lines are printed: the dump has no frames and no site.
 *
 * Pull API like klog/kreport.h: feed lines in log order, take finished
 * dumps with fidump_next(), free each with free(). Dumps printed at the same
 * time by several tasks are told apart by the printk caller id of /dev/kmsg
 * records (or "[  T123]" console prefixes); without one, lines go to the
 * most recent dump.
 *
 * A kernel with kernel/patches/0001-fault-inject-record-the-faulted-site-per-task.patch
 * records the same stack without printing anything, for every fault fail-nth
 * forces (FAULT_NOWARN callers included), in /proc/<pid>/task/<tid>/fail-nth-site:
 *
 *     failslab size=64 gfp_mask=0xcc0(GFP_KERNEL)
 *     [<ffffffff8155c0e2>] should_failslab+0xc2/0x120
 *     [<ffffffff8157d8aa>] __kmalloc_cache_noprof+0x6a/0x3a0
 *     [<ffffffff83a8c5ba>] unix_create1+0x6a/0x8a0
 *     ...
 *
 * (the raw addresses are 0 for readers the kernel hides them from; the first
 * version of the patch printed the fault's name alone and the frames without
 * "[<...>] ", which is still read). fidump_parse_site() reads that text into
 * a struct fidump with its site picked by the same rule as for a dump,
 * fidump_pick_site().
 */
#ifndef FS_FIDUMP_H
#define FS_FIDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "klog/kmsg.h"
#include "klog/kreport.h"

#define FIDUMP_FRAMES	48

struct fidump_frame {
	char sym[KREPORT_SYM_MAX];	/* as printed: "unix_create1.isra.0+0x6a/0x8a0" */
	char func[KREPORT_SYM_MAX];	/* compiler suffix dropped: "unix_create1" */
	char module[KREPORT_MOD_MAX];	/* "" for vmlinux */
	bool reliable;			/* not a "? " frame */
	uint64_t addr;			/* fail-nth-site's raw address, 0 when not shown */
};

struct fidump {
	char fault[32];		/* failslab, fail_page_alloc, fail_usercopy, fail_futex */
	int pid;		/* -1 when the dump had no CPU: line */
	char comm[KREPORT_COMM_MAX];
	uint64_t seq, usec;	/* of the header line */
	int nframes;		/* every frame, "? " ones included, innermost first */
	struct fidump_frame frames[FIDUMP_FRAMES];
	int site;		/* index of the site in frames[], -1 when unresolved */
	bool complete;		/* its "</TASK>" was seen */
	/* fail-nth-site only: "size=" (bytes for failslab, pages for fail_page_alloc) */
	bool has_size;
	long long size;
	char gfp[96];		/* fail-nth-site's "gfp_mask=": "0xcc0(GFP_KERNEL)", "" if none */
};

struct fidump_parser;

/** fidump_new() - a parser with nothing pending; NULL on ENOMEM. */
struct fidump_parser *fidump_new(void);

/** fidump_destroy() - free @p and the dumps not yet taken. NULL is fine. */
void fidump_destroy(struct fidump_parser *p);

/**
 * fidump_feed() - feed console text (embedded newlines split it; "[ 1.2]",
 * "[  T12]" and "<4>" prefixes are stripped).
 * Return: finished dumps waiting, or -EINVAL / -ENOMEM.
 */
int fidump_feed(struct fidump_parser *p, const char *text, uint64_t seq);

/** fidump_feed_kmsg() - feed a /dev/kmsg record. Return: as fidump_feed(). */
int fidump_feed_kmsg(struct fidump_parser *p, const struct kmsg_rec *r);

/** fidump_flush() - the log ended: finish every dump in progress. Return: as fidump_feed(). */
int fidump_flush(struct fidump_parser *p);

/** fidump_next() - the oldest finished dump (the caller frees it), or NULL. */
struct fidump *fidump_next(struct fidump_parser *p);

/**
 * fidump_is_machinery() - @func (suffix dropped) injects faults, prints the
 * dump, or allocates or copies on behalf of its caller: never a site.
 */
bool fidump_is_machinery(const char *func);

/**
 * fidump_pick_site() - the index in @d->frames of the allocation site: the
 * first reliable frame that is not machinery (fidump_is_machinery()); -1
 * when there is none (unresolved).
 */
int fidump_pick_site(const struct fidump *d);

/**
 * fidump_parse_site() - parse @len bytes of a fail-nth-site file (the fault's
 * name, then one "func+0xoff/0xsize [module]" frame per line) into @d, its
 * site picked by fidump_pick_site(). @d gets pid -1 and complete true; a line
 * that is not a frame becomes an unreliable frame, never the site.
 * Return: 0, -ENOENT when @text holds no fault (the file was empty), -EINVAL
 * when @d or @text is NULL.
 */
int fidump_parse_site(const char *text, size_t len, struct fidump *d);

#endif
