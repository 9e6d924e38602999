/*
 * Kernel-log capture: a supervisor thread reads /dev/kmsg records from the
 * start of the run, has them attributed (runner/capture/attrib.h: kernel
 * reports, fault dumps and module loads, each to the (case, N) whose step
 * marker says it printed it, by pid or else by time) and journals each.
 *
 * Fault-injection stack dumps (klog/fidump.h; printed when the fault
 * attributes' verbose is 2, run --fault-dumps, or --coverage on a kernel
 * without fail-nth-site) are attributed the same way and journaled as "site"
 * records: the allocation site each fault hit. On a kernel with fail-nth-site
 * the supervisor journals them from the worker's records instead, attributed
 * "patch" (kcap_write_patch_site()).
 */
#ifndef FS_KCAP_H
#define FS_KCAP_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>

#include "journal/journal.h"
#include "klog/kreport.h"
#include "klog/marker.h"
#include "runner/base/stats.h"
#include "runner/capture/attrib.h"

struct kcap;

/**
 * kcap_start() - open /dev/kmsg at its end and start the capture thread,
 * which counts each report it journals as a finding in @st. Returns NULL
 * with @why set when /dev/kmsg cannot be read.
 */
struct kcap *kcap_start(struct journal *j, const char *run_id, struct fs_stats *st,
			char *why, size_t len);

/**
 * kcap_case_done() - called when @case_name's sweep ended: writes an end
 * marker, waits (up to 5 s) until the capture thread has read it, and
 * returns how many kernel reports were attributed to the case.
 */
unsigned kcap_case_done(struct kcap *k, const char *case_name);

/** kcap_reports() - kernel reports journaled so far (any case). */
unsigned kcap_reports(struct kcap *k);

/** kcap_sites() - fault-injection dumps journaled so far as "site" records. */
unsigned kcap_sites(struct kcap *k);

struct fidump;

/**
 * kcap_write_patch_site() - journal to @j the "site" record (attribution
 * "patch") of fired step @nth of @case_name from the fail-nth-site text
 * @text (@len bytes) of task @pid: unresolved (site "") when the text says
 * nothing, never dropped. 0 or -errno.
 */
int kcap_write_patch_site(struct journal *j, const char *run_id, const char *case_name,
			  unsigned nth, const char *text, size_t len, int pid);

/**
 * kcap_site_record() - journal to @j the "site" record of fault @d (a dump,
 * or a fail-nth-site read) attributed to step @nth of @case_name ("" when
 * unknown) by @attribution ("pid", "time", "patch"): the fault, the site
 * and module, up to 8 reliable frames from the site on (from the top when
 * the site is unresolved), the pid, the kmsg seq of a dump, complete.
 * 0 or -errno.
 */
int kcap_site_record(struct journal *j, const char *run_id, const char *case_name,
		     unsigned nth, const char *attribution, const struct fidump *d);

/**
 * kcap_leak_at() - the step kmemleak report @r is attributed to, from the
 * step markers read so far (attrib_leak()); "none" without a capture.
 */
void kcap_leak_at(struct kcap *k, const struct kreport *r, struct attrib_at *at);

/**
 * kcap_module_of() - the module a worker saw loaded whose memory holds
 * @addr (the newest such load), even if it is unloaded now.
 */
bool kcap_module_of(struct kcap *k, uint64_t addr, struct marker_module *out);

/**
 * kcap_write_report() - journal @r as a "report" record attributed to
 * (@case_name, @nth) by @how, its raw text followed by @note (or NULL):
 * the kernel report as the capture thread, the kmemleak scans and the
 * dead-kernel resume journal it (journal/records.h formats it).
 */
void kcap_write_report(struct journal *j, const char *run_id, const char *case_name,
		       const char *area, unsigned nth, const char *how, const struct kreport *r,
		       const char *note);

/** kcap_stop() - drain what the kernel has printed, flush the parser, stop. */
void kcap_stop(struct kcap *k);

#endif
