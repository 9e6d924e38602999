/*
 * Inside journal/: the JSON layer over jansson. Records are built as jansson
 * objects with the jo_ setters (strings always valid UTF-8), fitted to
 * JOURNAL_RECORD_MAX by jcut_fit() and dumped compact, one line each.
 */
#ifndef FS_JJSON_H
#define FS_JJSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct journal;

/* How a record is dumped: one line, reals with up to 15 significant digits. */
#define JJSON_DUMP (JSON_COMPACT | JSON_REAL_PRECISION(15))

/* A record being built; @err is -ENOMEM once any member could not be set. */
struct jo {
	json_t *o;
	int err;
};

/** jo_begin() - a new record of @type ("step", "case", ...): its "type" member first. */
void jo_begin(struct jo *b, const char *type);
/** jo_obj() - a new object that is no record (a step's "crash"). */
void jo_obj(struct jo *b);
void jo_str(struct jo *b, const char *key, const char *val);
void jo_int(struct jo *b, const char *key, int64_t val);
void jo_bool(struct jo *b, const char *key, bool val);
void jo_null(struct jo *b, const char *key);
/** jo_ms() - @val rounded to 3 decimals (µs for a value in ms); 0 when not finite. */
void jo_ms(struct jo *b, const char *key, double val);
/** jo_strs() - an array of the @n strings at @v. */
void jo_strs(struct jo *b, const char *key, const char *const *v, size_t n);
/** jo_set() - member @key is @val (taken over; NULL is an allocation failure). */
void jo_set(struct jo *b, const char *key, json_t *val);

/**
 * journal_put() - fit the record @b to JOURNAL_RECORD_MAX (jcut_fit()),
 * dump it and append it to @j as one line; frees the record. 0 or -errno.
 */
int journal_put(struct journal *j, struct jo *b);

/** jjson_str() - @s (@n bytes) as a JSON string, a byte that is no UTF-8 made U+FFFD. */
json_t *jjson_strn(const char *s, size_t n);
json_t *jjson_str(const char *s);

/**
 * jjson_utf8_fix() - @s (@n bytes) with every byte that does not start a
 * valid UTF-8 sequence replaced by U+FFFD (as jansson checks it: no
 * overlong form, no surrogate, nothing above U+10FFFF), or NULL when @s is
 * valid already (or without memory: then *@out_n is 0). Caller frees.
 */
char *jjson_utf8_fix(const char *s, size_t n, size_t *out_n);

/**
 * jcut_fit() - cut @rec until it dumps to at most @max bytes: the longest
 * raw text first (report raw, exec output, frames, calls, ...), each cut
 * string marked with "[faultsweep: N bytes cut]" and every cut field listed
 * in the record's "cut" member with the bytes (strings) or items (arrays)
 * it lost. Small fields are never cut. Returns the dumped length, which is
 * over @max only when the fields that may be cut could not make it fit.
 */
size_t jcut_fit(json_t *rec, size_t max);

#endif
