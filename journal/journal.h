/*
 * The journal: one JSON object per line in OUT/journal.jsonl, written and
 * synced record by record, from which every report is made.
 */
#ifndef FS_JOURNAL_H
#define FS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct journal;

/* The head of a kernel report's raw text a "report" record keeps: records stay bounded. */
#define JOURNAL_REPORT_RAW_MAX 6000

/**
 * journal_open() - open (creating or appending to) @path. With @sync each
 * write is fdatasync'd before journal_write() returns, except on 9p: there
 * write(2) returns once the host has the data, which is what survives a
 * guest panic, and an fdatasync (a host disk flush, ~15 ms under TCG) would
 * only guard against the host crashing. 0 or -errno.
 */
int journal_open(struct journal **jp, const char *path, bool sync);

/** journal_write() - append one record (@json without newline). Thread-safe. */
int journal_write(struct journal *j, const char *json);

/**
 * journal_write_lines() - append @len bytes of whole records, each ending
 * in a newline, with one write(2) (group commit of records that arrived
 * together). Thread-safe.
 */
int journal_write_lines(struct journal *j, const char *lines, size_t len);

void journal_close(struct journal *j);

/* A tiny JSON object builder over a fixed buffer; overflow truncates to a valid object. */
struct jb {
	char buf[8192];
	size_t len;
	bool first, overflow;
};

void jb_begin(struct jb *b);
void jb_str(struct jb *b, const char *key, const char *val);
void jb_int(struct jb *b, const char *key, int64_t val);
void jb_uint(struct jb *b, const char *key, uint64_t val);
void jb_double(struct jb *b, const char *key, double val);
void jb_bool(struct jb *b, const char *key, bool val);
/** jb_raw() - @val is already JSON (an array or object). */
void jb_raw(struct jb *b, const char *key, const char *val);
const char *jb_end(struct jb *b);

/** json_escape() - write @s as a JSON string (with quotes) into @out. */
size_t json_escape(char *out, size_t len, const char *s);

#endif
