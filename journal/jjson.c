/* Building journal records on jansson: setters that never write invalid UTF-8. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "journal/jjson.h"

/* The length of the valid UTF-8 sequence at @p (@n bytes left), 0 when none starts there. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	len = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	cp = p[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp < 0xe000))
		return 0;
	return len;
}

char *jjson_utf8_fix(const char *s, size_t n, size_t *out_n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, l;
	char *out;

	*out_n = 0;
	while (i < n && (l = utf8_len(p + i, n - i)))
		i += l;
	if (i == n)
		return NULL;
	/* Each bad byte becomes 3. */
	out = malloc(n * 3 + 1);
	if (!out)
		return NULL;
	memcpy(out, s, i);
	o = i;
	while (i < n) {
		l = utf8_len(p + i, n - i);
		if (l) {
			memcpy(out + o, s + i, l);
			o += l;
			i += l;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	out[o] = 0;
	*out_n = o;
	return out;
}

json_t *jjson_strn(const char *s, size_t n)
{
	size_t fixed_n;
	char *fixed = jjson_utf8_fix(s, n, &fixed_n);
	json_t *v;

	if (!fixed)
		return json_stringn_nocheck(s, n);
	v = json_stringn_nocheck(fixed, fixed_n);
	free(fixed);
	return v;
}

json_t *jjson_str(const char *s)
{
	return jjson_strn(s ? s : "", s ? strlen(s) : 0);
}

void jo_set(struct jo *b, const char *key, json_t *val)
{
	/* A NULL value fails here too: an allocation that failed before. */
	if (!b->o) {
		json_decref(val);
		b->err = -ENOMEM;
	} else if (json_object_set_new(b->o, key, val)) {
		b->err = -ENOMEM;
	}
}

void jo_obj(struct jo *b)
{
	b->o = json_object();
	b->err = b->o ? 0 : -ENOMEM;
}

void jo_begin(struct jo *b, const char *type)
{
	jo_obj(b);
	jo_str(b, "type", type);
}

void jo_str(struct jo *b, const char *key, const char *val)
{
	jo_set(b, key, jjson_str(val));
}

void jo_int(struct jo *b, const char *key, int64_t val)
{
	jo_set(b, key, json_integer(val));
}

void jo_bool(struct jo *b, const char *key, bool val)
{
	jo_set(b, key, json_boolean(val));
}

void jo_null(struct jo *b, const char *key)
{
	jo_set(b, key, json_null());
}

void jo_ms(struct jo *b, const char *key, double val)
{
	/* Rounded to µs without libm; a duration in ms is far below 2^53 µs. */
	if (!isfinite(val) || val > 1e15 || val < -1e15)
		val = 0;
	jo_set(b, key, json_real((double)(int64_t)(val * 1000 + (val < 0 ? -0.5 : 0.5)) / 1000));
}

void jo_strs(struct jo *b, const char *key, const char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		if (json_array_append_new(a, jjson_str(v[i]))) {
			json_decref(a);
			a = NULL;
		}
	jo_set(b, key, a);
}
