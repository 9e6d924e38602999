/*
 * Module load addresses. After each call the worker compares /proc/modules
 * with what it has announced and writes one module marker (klog/marker.h:
 * "faultsweep: module NAME BASE TEXT SIZE") into /dev/kmsg per newly loaded
 * module; the capture thread journals it as a "module" record and keeps a
 * table, from which bare addresses in later reports (kmemleak backtraces of
 * an unloaded module) become "NAME:.text+OFF". A line in the kernel log, not
 * a pipe record: the log is where the reports it explains are read, in the
 * same order.
 */
#ifndef FS_KMODS_H
#define FS_KMODS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "klog/marker.h"

#define KMODS_MAX 64

/* Modules seen, oldest first; the oldest is dropped when full. */
struct kmods_seen {
	unsigned n;
	struct marker_module mod[KMODS_MAX];
};

/**
 * kmods_announce() - read /proc/modules and write a marker line to
 * @kmsg_fd for every module (name, base) not announced before. Returns how
 * many were announced. Cheap when nothing changed: one read of /proc/modules.
 */
int kmods_announce(struct kmods_seen *s, int kmsg_fd);

/** kmods_add() - remember @m (once per name and base). */
void kmods_add(struct kmods_seen *s, const struct marker_module *m);

/** kmods_lookup() - the module whose memory holds @addr (the newest load), or NULL. */
const struct marker_module *kmods_lookup(const struct kmods_seen *s, uint64_t addr);

#endif
