/* The progress display: one rewritten line on a TTY, periodic lines otherwise. */
#ifndef FS_PROGRESS_H
#define FS_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "runner/base/stats.h"

struct progress {
	bool quiet, tty;
	double t0, last, last_steps_t;
	uint64_t last_steps;
	double rate;
};

void progress_init(struct progress *p, bool quiet);
void progress_tick(struct progress *p, struct fs_stats *st);
void progress_done(struct progress *p);

#endif
