/*
 * The zygote: a single-threaded copy of faultsweep forked before any thread
 * exists, which forks workers on request. A worker then starts in
 * microseconds instead of an exec of faultsweep (~250 ms over 9p under TCG),
 * and the forked child of a threaded process never runs harness code.
 */
#ifndef FS_ZYGOTE_H
#define FS_ZYGOTE_H

#include <stdbool.h>
#include <sys/types.h>

/**
 * zyg_start() - fork the zygote. Must be called while the process is still
 * single-threaded. Makes this process a child subreaper, so workers (forked
 * through a short-lived intermediate) become its children. 0 or -errno.
 */
int zyg_start(void);

/**
 * zyg_spawn() - have the zygote fork a worker (wrk_serve()) that sends
 * records to @out_fd and reads acks and case commands from @ack_fd (both
 * passed to the worker as fds 3 and 4; this process keeps its copies).
 * Thread-safe. Returns the worker's pid (in its own process group, a child
 * of this process) or -errno.
 */
pid_t zyg_spawn(int out_fd, int ack_fd);

/** zyg_stop() - end the zygote. */
void zyg_stop(void);

#endif
