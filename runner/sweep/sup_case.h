/* One case the supervisor sweeps, and what became of it: set up by run and --resume, filled by the sweep. */
#ifndef FS_SUP_CASE_H
#define FS_SUP_CASE_H

#include <stdbool.h>

#include "harness/harness.h"

struct sup_case {
	const struct fs_harness *h;
	unsigned from;          /* first N (resume) */
	/* results */
	unsigned points;        /* fault points found (0 when unknown) */
	unsigned steps;
	unsigned fails, broks;
	unsigned kreports;      /* kernel reports attributed to the case */
	bool done, conf, nondet;
	char verdict[8];
};

#endif
