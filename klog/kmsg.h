/*
 * Decoding of /dev/kmsg records ("prio,seq,usec,flags[,caller=T1];text" plus
 * " KEY=value" dictionary lines) into a level, a sequence number and plain text.
 */
#ifndef FS_KMSG_H
#define FS_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's record limit (CONSOLE_EXT_LOG_MAX) once "\xHH" escapes are decoded. */
#define KMSG_TEXT_MAX 8192

/* kmsg_rec.caller: bit 31 set for a CPU id (printk from interrupt context). */
#define KMSG_CALLER_CPU 0x80000000u

struct kmsg_rec {
	int level;		/* 0 (emerg) .. 7 (debug) */
	int facility;		/* 0 for the kernel */
	uint64_t seq;
	uint64_t usec;		/* since boot */
	bool cont;		/* flags 'c': a continuation fragment */
	bool truncated;		/* text longer than KMSG_TEXT_MAX - 1 */
	bool has_caller;	/* the kernel has CONFIG_PRINTK_CALLER */
	uint32_t caller;	/* "T123" is 123, "C1" is KMSG_CALLER_CPU | 1 */
	size_t len;		/* bytes in text, excluding the NUL */
	char text[KMSG_TEXT_MAX]; /* decoded; may hold '\n' from multi-line printks */
};

/**
 * kmsg_parse_record() - parse one record as read(2) from /dev/kmsg returns it.
 * @raw: the record, not necessarily NUL-terminated
 * @len: its length in bytes
 * @out: filled on success; left in an unspecified state on error
 *
 * The message text is decoded ("\x0a" becomes a newline, "\x5c" a backslash);
 * a decoded NUL becomes '?' so that @out->text stays one C string. The
 * " KEY=value" dictionary lines (SUBSYSTEM=, DEVICE=) after the text are
 * dropped. Unknown extra header fields after the flags are ignored.
 *
 * Return: 0, or -EINVAL when @raw is not a record (no crash on any input).
 */
int kmsg_parse_record(const char *raw, size_t len, struct kmsg_rec *out);

#endif
