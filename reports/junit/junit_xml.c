/* The XML layer under junit.c: bytes made safe for XML 1.0, a writer keeping its first error. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/junit/junit_xml.h"

static const char replacement[] = "\xef\xbf\xbd";

/* Length of the valid UTF-8 sequence XML accepts at @p, or 0. */
static size_t utf8_ok(const unsigned char *p, size_t left)
{
	size_t n, i;
	uint32_t cp, min;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000) ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

char *junit_sanitize(const char *s, size_t len, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, head, tail, cut;
	char *out, *capped;
	int m;

	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(len * 3 + 1);
	if (!out)
		return NULL;
	while (i < len) {
		size_t n;

		if (p[i] < 0x80) {
			/* ESC (dmesg colours), NUL, CR, DEL: Jenkins rejects a file for one. */
			if ((p[i] >= 0x20 && p[i] != 0x7f) || p[i] == '\t' || p[i] == '\n')
				out[o++] = p[i];
			i++;
		} else if ((n = utf8_ok(p + i, len - i))) {
			memcpy(out + o, p + i, n);
			o += n;
			i += n;
		} else {
			memcpy(out + o, replacement, 3);
			o += 3;
			i++;
		}
	}
	out[o] = 0;
	if (o <= cap)
		return out;
	/* Keep the head (what happened) and the tail (how it ended), on character boundaries. */
	head = cap / 2;
	while (head > 0 && (out[head] & 0xc0) == 0x80)
		head--;
	tail = o - cap / 2;
	while (tail < o && (out[tail] & 0xc0) == 0x80)
		tail++;
	cut = tail - head;
	capped = malloc(head + (o - tail) + 64);
	if (!capped) {
		free(out);
		return NULL;
	}
	memcpy(capped, out, head);
	m = snprintf(capped + head, 64, "\n[... %zu bytes cut ...]\n", cut);
	memcpy(capped + head + m, out + tail, o - tail + 1);
	free(out);
	return capped;
}

void junit_check(struct junit_out *x, int rc)
{
	if (rc < 0 && !x->err)
		x->err = -EIO;
}

void junit_start(struct junit_out *x, const char *name)
{
	if (!x->err)
		junit_check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

void junit_end(struct junit_out *x)
{
	if (!x->err)
		junit_check(x, xmlTextWriterEndElement(x->w));
}

void junit_put(struct junit_out *x, const char *name, const char *val, size_t len)
{
	char *s;

	if (x->err || (!name && !len))
		return;
	s = junit_sanitize(val, len, name ? x->max_attr : x->max_text);
	if (!s)
		x->err = -ENOMEM;
	else if (name)
		junit_check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST s));
	else
		junit_check(x, xmlTextWriterWriteString(x->w, BAD_CAST s));
	free(s);
}

void junit_attr(struct junit_out *x, const char *name, const char *val)
{
	junit_put(x, name, val, strlen(val));
}

void junit_classname(struct junit_out *x, const char *area, const char *case_name)
{
	char *cn;

	if (asprintf(&cn, "faultsweep.%s%s%s", area, case_name ? "." : "",
		     case_name ? case_name : "") < 0) {
		x->err = x->err ? x->err : -ENOMEM;
		return;
	}
	junit_attr(x, "classname", cn);
	free(cn);
}

void junit_attrf(struct junit_out *x, const char *name, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	junit_attr(x, name, buf);
}

FILE *junit_buf_open(struct junit_out *x, struct junit_buf *b)
{
	b->p = NULL;
	b->len = 0;
	b->f = x->err ? NULL : open_memstream(&b->p, &b->len);
	if (!b->f && !x->err)
		x->err = -ENOMEM;
	return b->f;
}

void junit_buf_emit(struct junit_out *x, struct junit_buf *b, const char *elem, bool keep)
{
	if (!b->f)
		return;
	if (fclose(b->f) && !x->err)
		x->err = -ENOMEM;
	if (keep && elem)
		junit_start(x, elem);
	if (keep)
		junit_put(x, NULL, b->p, b->len);
	if (keep && elem)
		junit_end(x);
	free(b->p);
	b->f = NULL;
}
