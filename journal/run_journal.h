/* The records every sweeping command opens its journal with: the run header and notes. */
#ifndef FS_RUN_JOURNAL_H
#define FS_RUN_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "journal/journal.h"

struct run_header {
	const char *run_id;
	const char *faults;       /* "slab,page" */
	const char *site_source;  /* "patch", "dumps" or "" (no coverage) */
	const char *command;      /* NULL for run; "exec" */
	unsigned jobs;
	size_t ncases;
	bool resume;
};

/**
 * run_journal_header() - the "run" record: version, kernel release, faults,
 * where report finds vmlinux ($FS_KERNEL_BUILD from --vm, else this
 * kernel's /lib/modules build link), and @h. 0 or -errno.
 */
int run_journal_header(struct journal *j, const struct run_header *h);

/** run_journal_note() - a "note" record: what the summary must say about the run. 0 or -errno. */
__attribute__((format(printf, 3, 4)))
int run_journal_note(struct journal *j, const char *run_id, const char *fmt, ...);

#endif
