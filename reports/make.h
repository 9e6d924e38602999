/* The report pipeline of `faultsweep report` and of the end of `run`. */
#ifndef FS_REPORTING_H
#define FS_REPORTING_H

#include <stdbool.h>
#include <stddef.h>

#include "journal/jread.h"

struct report_opts {
	bool collapse;			/* one JUnit testcase per case */
	bool repro_all;			/* a reproducer per failing step, not per title */
	bool quiet;			/* nothing on stdout but errors */
	const char *vmlinux;		/* NULL: the run record's kernel build */
	const char *const *modules;	/* .ko files or directories for symbols */
	size_t nmodules;
	const char *const *scopes;	/* --coverage-scope DIR|MODULE; none: what was touched */
	size_t nscopes;
};

/**
 * report_load() - read the journals into @j, warning on what is skipped.
 * Returns 0, -EINVAL (a directory, unreadable, no records) or -ENOMEM,
 * with the message printed.
 */
int report_load(struct jread_journal *j, const char *const *journals, size_t n);

/**
 * report_make() - write OUT/junit.xml, OUT/repro/, OUT/coverage/ and
 * OUT/summary.txt (printed too unless quiet) from @j, after naming the
 * leaks of unloaded modules from the .ko files of @o->modules. A part that cannot
 * be written is said on stderr and the others are still made. Returns
 * 0 or -EIO.
 */
int report_make(struct jread_journal *j, const char *out, const struct report_opts *o);

/**
 * report_after_run() - what `run` does at its end unless --no-report:
 * load @journal and make every report in @out quietly, then say where they
 * are. Returns 0 or the -errno of what failed.
 */
int report_after_run(const char *journal, const char *out);

#endif
