/* Parsing of one /dev/kmsg record into a struct kmsg_rec, bounded and garbage-proof. */
#include <errno.h>
#include <string.h>

#include "klog/kmsg.h"

/* An unsigned decimal up to @end or the first non-digit; at least one digit, no overflow. */
static int parse_u64(const char **pp, const char *end, uint64_t *val)
{
	const char *p = *pp;
	uint64_t v = 0;

	if (p >= end || *p < '0' || *p > '9')
		return -EINVAL;
	while (p < end && *p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		p++;
	}
	*pp = p;
	*val = v;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The optional fields after the flags character: ",caller=T123" and future "k=v"s. */
static int parse_fields(const char *p, const char *end, struct kmsg_rec *out)
{
	while (p < end) {
		const char *f, *fe;

		if (*p != ',')
			return -EINVAL;
		f = ++p;
		while (p < end && *p != ',')
			p++;
		fe = p;
		if (fe - f >= 7 && !memcmp(f, "caller=", 7)) {
			const char *q = f + 8;
			uint64_t id;

			if (fe - f < 9 || (f[7] != 'T' && f[7] != 'C') || parse_u64(&q, fe, &id) ||
			    q != fe || id >= KMSG_CALLER_CPU)
				return -EINVAL;
			out->has_caller = true;
			out->caller = (uint32_t)id;
			if (f[7] == 'C')
				out->caller |= KMSG_CALLER_CPU;
		}
	}
	return 0;
}

int kmsg_parse_record(const char *raw, size_t len, struct kmsg_rec *out)
{
	const char *p, *end, *semi, *text_end;
	uint64_t prio;
	size_t n = 0;

	if (!raw || !out)
		return -EINVAL;
	memset(out, 0, offsetof(struct kmsg_rec, text));
	out->text[0] = '\0';
	p = raw;
	end = raw + len;
	/* The header never holds a newline; the text ends at the first one. */
	text_end = memchr(raw, '\n', len);
	if (!text_end)
		text_end = end;
	semi = memchr(raw, ';', (size_t)(text_end - raw));
	if (!semi)
		return -EINVAL;

	if (parse_u64(&p, semi, &prio) || p >= semi || *p++ != ',' || prio > 0xffff)
		return -EINVAL;
	out->level = (int)(prio & 7);
	out->facility = (int)(prio >> 3);
	if (parse_u64(&p, semi, &out->seq) || p >= semi || *p++ != ',')
		return -EINVAL;
	if (parse_u64(&p, semi, &out->usec) || p >= semi || *p++ != ',')
		return -EINVAL;
	if (p >= semi)
		return -EINVAL;
	if (*p == 'c')
		out->cont = true;
	else if (*p != '-')
		return -EINVAL;
	if (parse_fields(p + 1, semi, out))
		return -EINVAL;

	for (p = semi + 1; p < text_end; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\\' && text_end - p >= 4 && p[1] == 'x' &&
		    hexval(p[2]) >= 0 && hexval(p[3]) >= 0) {
			c = (unsigned char)(hexval(p[2]) << 4 | hexval(p[3]));
			p += 3;
		}
		if (c == '\0')
			c = '?';
		if (n + 1 >= sizeof(out->text)) {
			out->truncated = true;
			break;
		}
		out->text[n++] = (char)c;
	}
	out->text[n] = '\0';
	out->len = n;
	return 0;
}
