/*
 * JUnit XML for Jenkins from the journal: one testsuite per area, one
 * testcase per (case, N), valid against the xUnit plugin's junit-10.xsd.
 */
#ifndef FS_JUNIT_H
#define FS_JUNIT_H

#include <stdbool.h>
#include <stddef.h>

#include "journal/jread.h"

struct junit_stats {
	size_t tests, failures, errors, skipped;
};

struct junit_opts {
	bool collapse;			/* one testcase per case, steps aggregated */
	size_t max_text;		/* cap of one text (system-out, failure); 0: 64 KiB */
	size_t max_attr;		/* cap of one attribute value; 0: 4 KiB */
	struct junit_stats *stats;	/* filled when not NULL */
};

/**
 * junit_write() - write the JUnit report of @j to @path (through a temporary
 * file renamed over @path, so Jenkins never reads half a file).
 *
 * Verdicts map as LTP's to JUnit: FAIL → <failure> (type and message from
 * the first finding, all titles in the body), BROK → <error>, CONF →
 * <skipped>. A CONF or BROK case that never reached a step becomes one
 * testcase named "setup"; a BROK case whose breakage came outside every step
 * adds one named "sweep". A step holding kernel reports is a failure
 * whatever its verdict, named by its first finding, else its first report.
 * A report no step holds (struct jread_journal.orphans) is a failing
 * testcase "kernel-report-<i>" of its case, or of the classname
 * "faultsweep.unattributed" when it has none; collapsed, a case's join its
 * testcase and the unattributed make one named "kernel-reports"; a collapsed
 * testcase is judged as a case is (fs_case_verdict(): FAIL over BROK over
 * CONF over PASS). errno, ret,
 * the retry outcome, the fault site, the console log and the kernel reports
 * go to <system-out> (junit-10.xsd allows no properties on a testcase); run
 * ids, kernel and version, and the number of kmsg gaps
 * ("faultsweep.kmsg-gaps"), go to each testsuite's <properties>. Every text is made valid XML 1.0 UTF-8 (see
 * junit_sanitize()) and capped. @o may be NULL.
 *
 * Return: 0, or a negative errno (-EIO when libxml2 fails).
 */
int junit_write(const struct jread_journal *j, const char *path, const struct junit_opts *o);

#endif
