/*
 * The JSON layer over jansson, for the journal and what writes JSON from it:
 * strings that are always valid UTF-8, as jansson requires.
 */
#ifndef FS_JJSON_H
#define FS_JJSON_H

#include <jansson.h>
#include <stddef.h>

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

#endif
