/* The XML layer under junit.c (internal): a libxml2 writer with one error slot, text buffers. */
#ifndef FS_JUNIT_XML_H
#define FS_JUNIT_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <libxml/xmlwriter.h>

/**
 * junit_sanitize() - a copy of the @len bytes at @s that XML 1.0 accepts:
 * C0 controls other than tab and newline, and DEL, are dropped; invalid
 * UTF-8 (bad, overlong or cut sequences, surrogates, U+FFFE/U+FFFF) becomes
 * U+FFFD. Longer than @cap bytes, the head and tail are kept around a
 * "[... N bytes cut ...]" line. Returns a malloc'd string or NULL (ENOMEM).
 */
char *junit_sanitize(const char *s, size_t len, size_t cap);

/* The writer and its first error: later calls do nothing once one failed. */
struct junit_out {
	xmlTextWriterPtr w;
	size_t max_text, max_attr;
	int err;
};

/*
 * Each call does nothing once @x->err is set, so a report is written
 * straight through and checked once at the end.
 */
void junit_check(struct junit_out *x, int rc);
void junit_start(struct junit_out *x, const char *name);
void junit_end(struct junit_out *x);
/** junit_put() - attribute @name, or a text node when @name is NULL: sanitised, capped. */
void junit_put(struct junit_out *x, const char *name, const char *val, size_t len);
void junit_attr(struct junit_out *x, const char *name, const char *val);
void junit_attrf(struct junit_out *x, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** junit_classname() - "faultsweep.AREA.CASE", or "faultsweep.AREA" when @case_name is NULL. */
void junit_classname(struct junit_out *x, const char *area, const char *case_name);

/* Text built with stdio, written as one sanitised, capped text node in @elem. */
struct junit_buf {
	char *p;
	size_t len;
	FILE *f;
};

FILE *junit_buf_open(struct junit_out *x, struct junit_buf *b);
/** junit_buf_emit() - when @keep, write the text (inside a new @elem unless NULL); then free it. */
void junit_buf_emit(struct junit_out *x, struct junit_buf *b, const char *elem, bool keep);

#endif
