/* JSON strings on jansson that are always valid UTF-8. */
#include <stdint.h>
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
