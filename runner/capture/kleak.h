/* kmemleak in batches: clear before the sweep, scan every K cases and at the end, attribute by pid. */
#ifndef FS_KLEAK_H
#define FS_KLEAK_H

#include <stdbool.h>
#include <stddef.h>

#include "journal/journal.h"
#include "runner/capture/kcap.h"
#include "runner/base/stats.h"

/**
 * kleak_init() - clear kmemleak's list so leaks from before the run are not
 * blamed on it. Returns 0, or -ENOENT with @note saying why kmemleak cannot
 * be used (not built in, disabled with kmemleak=off, or it turned itself off).
 */
int kleak_init(char *note, size_t len);

/**
 * kleak_scan() - scan, wait 5 s, scan again, read; rescan and read again when
 * there were hits (syzkaller's check_leaks), journal every leak still
 * reported as a "memory-leak" report attributed by its pid to the case whose
 * worker allocated it, count each as a finding in @st, then clear.
 * Serialised: a call while another scan runs returns at once. Returns the
 * number of leaks journaled.
 */
int kleak_scan(struct kcap *k, struct journal *j, const char *run_id, struct fs_stats *st);

#endif
