/*
 * Attribution: which step (case, N) each kernel report, fault-injection dump
 * and module load read from the kernel log belongs to. A state machine over
 * /dev/kmsg records with no I/O, no threads and no journal: records in,
 * attributed events out. The capture thread (kcap.c) feeds it what it reads
 * and journals what comes out; tests/unit/test_attrib.c feeds it fixtures.
 *
 * The log says which step each task is in: before arming step N a task
 * writes the step marker "faultsweep: step CASE N PID" (klog/marker.h).
 *
 * - A report or dump printed by a pid with a step marker goes to that pid's
 *   latest step ("pid"). One printed by any other task (a kworker, an RCU
 *   callback, a child of the case) or without a pid goes to the latest step
 *   of any task ("time"); before the first marker, to none ("none").
 * - Every record reaches the parsers before a marker it holds moves its task
 *   on: a report ends at the next line of its task, and one printed late in
 *   step N (after the faulted call returned) is ended by that task's marker
 *   of N+1, which must find the task still at N (seen: every KASAN double
 *   free of the planted module blamed on N+1). "faultsweep: done" ends the
 *   last step's reports the same way; the pid keeps its case after it, for
 *   the kmemleak scans that come later (attrib_leak()).
 * - Reports and dumps of several tasks interleave line by line; the parsers
 *   tell them apart by the printk caller id (CONFIG_PRINTK_CALLER).
 * - A pid whose marker names another case is a new worker that got an old
 *   pid: it is that case's from then on.
 * - An end marker ("faultsweep: end TOKEN CASE") comes out as an event in
 *   log order, after every report printed before it.
 * - A lost stretch of the log (attrib_gap()) comes out in order too; the
 *   attribution goes on with what it knew.
 */
#ifndef FS_ATTRIB_H
#define FS_ATTRIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "klog/fidump.h"
#include "klog/kmsg.h"
#include "klog/kreport.h"
#include "klog/marker.h"

/* The step something is blamed on. */
struct attrib_at {
	char case_name[MARKER_CASE_MAX];	/* "" when none */
	unsigned nth;
	/* "pid", "time", "none"; for a leak (attrib_leak()) "comm", "case", "none" */
	const char *how;
};

enum attrib_kind {
	ATTRIB_REPORT,		/* a kernel report: report, at */
	ATTRIB_SITE,		/* a fault-injection dump, where a fault hit: dump, at */
	ATTRIB_MODULE,		/* a module seen loaded for the first time at its base: mod */
	ATTRIB_END,		/* an end marker: token */
	ATTRIB_GAP,		/* records were lost here */
};

struct attrib_event {
	enum attrib_kind kind;
	struct attrib_at at;
	struct kreport *report;		/* the caller's: kreport_free() */
	struct fidump *dump;		/* the caller's: free() */
	struct marker_module mod;
	uint64_t token;
};

struct attrib;

/** attrib_new() - nothing seen yet; NULL without memory. */
struct attrib *attrib_new(void);

/** attrib_destroy() - free @a with the events not taken. NULL is fine. */
void attrib_destroy(struct attrib *a);

/**
 * attrib_feed() - the next record read from /dev/kmsg (kmsg_parse_record()).
 * Returns the number of events waiting, or -ENOMEM (the events of the
 * record that fit are kept).
 */
int attrib_feed(struct attrib *a, const struct kmsg_rec *r);

/** attrib_gap() - the reader lost records here (read(2) said EPIPE). Returns as attrib_feed(). */
int attrib_gap(struct attrib *a);

/** attrib_flush() - the log ended: finish the reports and dumps in progress. As attrib_feed(). */
int attrib_flush(struct attrib *a);

/** attrib_next() - take the oldest event into @ev; false when none waits. */
bool attrib_next(struct attrib *a, struct attrib_event *ev);

/**
 * attrib_case_of_pid() - the case and latest N of @pid as its step markers
 * said; @name "" and *@nth 0 when @pid wrote none.
 */
void attrib_case_of_pid(const struct attrib *a, int pid, char *name, size_t len, unsigned *nth);

/**
 * attrib_leak() - the step of kmemleak report @r: kmemleak keeps only the
 * allocating task's pid and comm, and a worker keeps its pid across N but
 * names itself "fs#N" for step N (runner/sweep/worker.c). So the case of
 * the pid and the N of the comm ("comm"); the case as a whole, N 0, when
 * the comm names no step ("case"); none ("none") for a pid that wrote no
 * step marker (a child the case forked keeps the name, not the pid).
 */
void attrib_leak(const struct attrib *a, const struct kreport *r, struct attrib_at *at);

/**
 * attrib_module_of() - the module seen loaded whose memory holds @addr (the
 * newest such load), even if it is unloaded now; NULL when none.
 */
const struct marker_module *attrib_module_of(const struct attrib *a, uint64_t addr);

#endif
