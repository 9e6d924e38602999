/*
 * The lines faultsweep writes into the kernel log, so that the log itself
 * says which step each task was in when the kernel printed something
 * (docs/architecture.md, kernel-log capture). Each format is defined here
 * once, its writer beside its parser:
 *
 *   faultsweep: step CASE N PID              PID arms step N of CASE (a worker,
 *                                            or the exec engine for a traced thread)
 *   faultsweep: done CASE PID                PID's last step of CASE is over
 *   faultsweep: end TOKEN CASE               the supervisor: CASE ended; the capture
 *                                            thread acknowledges TOKEN once it read it
 *   faultsweep: module NAME BASE TEXT SIZE   a worker saw module NAME loaded at BASE
 *
 * The writers add "<14>" (facility user, level info: never shown on a
 * loglevel-4 console) and a newline, which ends the record (without it a
 * reader waits for a continuation). The parser takes the text of a
 * /dev/kmsg record, with or without the "<14>".
 */
#ifndef FS_MARKER_H
#define FS_MARKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for a case name (as long as a worker's case command allows) and its NUL. */
#define MARKER_CASE_MAX 128
/* Room for any marker line with its "<14>" and newline. */
#define MARKER_LINE_MAX 256

/* A loaded module as a worker announces it: where its memory lies. */
struct marker_module {
	char name[56];
	uint64_t base;		/* /proc/modules: start of the module's memory */
	uint64_t text;		/* /sys/module/NAME/sections/.text (base when unreadable) */
	uint64_t size;
};

enum marker_kind { MARKER_NONE, MARKER_STEP, MARKER_DONE, MARKER_END, MARKER_MODULE };

/* A parsed marker; the fields its kind has are set, the others zero. */
struct marker {
	enum marker_kind kind;
	char case_name[MARKER_CASE_MAX];	/* step, done, end ("" when an end has none) */
	unsigned nth;				/* step */
	int pid;				/* step, done */
	uint64_t token;				/* end */
	struct marker_module mod;		/* module */
};

/* The writers: the line into @buf (@len bytes, MARKER_LINE_MAX is enough); its length. */
int marker_step(char *buf, size_t len, const char *case_name, unsigned nth, int pid);
int marker_done(char *buf, size_t len, const char *case_name, int pid);
int marker_end(char *buf, size_t len, uint64_t token, const char *case_name);
int marker_module(char *buf, size_t len, const struct marker_module *m);

/**
 * marker_parse() - read @text (a kmsg record's text) as a marker into @m.
 * Returns its kind; MARKER_NONE (and @m zeroed) for any other line, and for
 * a marker whose fields do not parse.
 */
enum marker_kind marker_parse(const char *text, struct marker *m);

#endif
