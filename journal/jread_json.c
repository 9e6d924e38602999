/* The JSON under the journal reader: a strict parser that never crashes, and a compact printer. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "journal/jread.h"

/*
 * Deeper nesting is not ours and would only cost stack; it makes the line
 * garbled rather than the reader crash.
 */
#define MAX_DEPTH 64

struct parser {
	const char *p, *end;
	int depth;
};

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
				   *ps->p == '\r'))
		ps->p++;
}

static int parse_value(struct parser *ps, struct jread_val *v);

void jread_val_free(struct jread_val *v)
{
	size_t i;

	if (!v)
		return;
	if (v->type == JREAD_ARR)
		for (i = 0; i < v->n; i++)
			jread_val_free(&v->items[i]);
	if (v->type == JREAD_OBJ)
		for (i = 0; i < v->n; i++) {
			free(v->members[i].key);
			jread_val_free(&v->members[i].val);
		}
	free(v->items);
	free(v->members);
	free(v->s);
	memset(v, 0, sizeof(*v));
}

static int hex4(const char *p, const char *end, unsigned *out)
{
	unsigned u = 0;
	int i;

	if (end - p < 4)
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		u <<= 4;
		if (c >= '0' && c <= '9')
			u |= c - '0';
		else if (c >= 'a' && c <= 'f')
			u |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			u |= c - 'A' + 10;
		else
			return -EINVAL;
	}
	*out = u;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = 0xc0 | cp >> 6;
		o[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = 0xe0 | cp >> 12;
		o[1] = 0x80 | (cp >> 6 & 0x3f);
		o[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	o[0] = 0xf0 | cp >> 18;
	o[1] = 0x80 | (cp >> 12 & 0x3f);
	o[2] = 0x80 | (cp >> 6 & 0x3f);
	o[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* At the opening quote. Raw bytes pass as they are (the writer sanitises); a raw NUL does not. */
static int parse_string(struct parser *ps, char **out)
{
	const char *q = ps->p + 1, *end = ps->end;
	char *s, *o;

	while (q < end && *q != '"') {
		if (!*q)
			return -EINVAL;
		q += *q == '\\' ? 2 : 1;
	}
	if (q >= end)
		return -EINVAL;
	/* Escapes only shrink: \uXXXX (6) is at most 3 bytes, a pair (12) 4. */
	s = o = malloc(q - ps->p);
	if (!s)
		return -ENOMEM;
	for (q = ps->p + 1; *q != '"'; ) {
		unsigned cp, lo;

		if (*q != '\\') {
			*o++ = *q++;
			continue;
		}
		switch (q[1]) {
		case '"': case '\\': case '/': *o++ = q[1]; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (hex4(q + 2, end, &cp))
				goto bad;
			q += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && end - q > 2 && q[2] == '\\' &&
			    q[3] == 'u' && !hex4(q + 4, end, &lo) && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				q += 6;
			} else if (cp == 0 || (cp >= 0xd800 && cp < 0xe000)) {
				cp = 0xfffd;
			}
			o += put_utf8(o, cp);
			break;
		default:
			goto bad;
		}
		q += 2;
	}
	*o = 0;
	ps->p = q + 1;
	*out = s;
	return 0;
bad:
	free(s);
	return -EINVAL;
}

static bool digit(const struct parser *ps, const char *q)
{
	return q < ps->end && *q >= '0' && *q <= '9';
}

static int parse_number(struct parser *ps, struct jread_val *v)
{
	const char *q = ps->p;
	bool integral = true;
	char small[64], *num = small;
	size_t len;

	if (q < ps->end && *q == '-')
		q++;
	if (!digit(ps, q))
		return -EINVAL;
	if (*q == '0')
		q++;
	else
		while (digit(ps, q))
			q++;
	if (q < ps->end && *q == '.') {
		integral = false;
		if (!digit(ps, ++q))
			return -EINVAL;
		while (digit(ps, q))
			q++;
	}
	if (q < ps->end && (*q == 'e' || *q == 'E')) {
		integral = false;
		q++;
		if (q < ps->end && (*q == '+' || *q == '-'))
			q++;
		if (!digit(ps, q))
			return -EINVAL;
		while (digit(ps, q))
			q++;
	}
	len = q - ps->p;
	if (len >= sizeof(small) && !(num = malloc(len + 1)))
		return -ENOMEM;
	memcpy(num, ps->p, len);
	num[len] = 0;
	v->type = JREAD_NUM;
	v->num = strtod(num, NULL);
	if (integral) {
		errno = 0;
		v->i = strtoll(num, NULL, 10);
		v->is_int = errno != ERANGE;
	}
	if (num != small)
		free(num);
	ps->p = q;
	return 0;
}

static bool literal(struct parser *ps, const char *word)
{
	size_t l = strlen(word);

	if ((size_t)(ps->end - ps->p) < l || memcmp(ps->p, word, l))
		return false;
	ps->p += l;
	return true;
}

/* An array or an object, at its opening bracket. */
static int parse_container(struct parser *ps, struct jread_val *v, bool obj)
{
	char close = obj ? '}' : ']';
	size_t cap = 0;
	int err;

	if (++ps->depth > MAX_DEPTH)
		return -EINVAL;
	v->type = obj ? JREAD_OBJ : JREAD_ARR;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close)
		goto done;
	for (;;) {
		struct jread_val *item;

		if (v->n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			void *m = obj ? realloc(v->members, ncap * sizeof(*v->members)) :
					realloc(v->items, ncap * sizeof(*v->items));

			if (!m)
				return -ENOMEM;
			if (obj)
				v->members = m;
			else
				v->items = m;
			cap = ncap;
		}
		skip_ws(ps);
		if (obj) {
			struct jread_member *m = &v->members[v->n];

			memset(m, 0, sizeof(*m));
			if (ps->p >= ps->end || *ps->p != '"')
				return -EINVAL;
			err = parse_string(ps, &m->key);
			if (err)
				return err;
			v->n++;		/* counted now so that an error frees the key */
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p++ != ':')
				return -EINVAL;
			item = &m->val;
		} else {
			item = &v->items[v->n++];
			memset(item, 0, sizeof(*item));
		}
		err = parse_value(ps, item);
		if (err)
			return err;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close)
			break;
		return -EINVAL;
	}
done:
	ps->p++;
	ps->depth--;
	return 0;
}

/* On error @v may hold a partial tree; jread_parse() frees it. */
static int parse_value(struct parser *ps, struct jread_val *v)
{
	skip_ws(ps);
	if (ps->p >= ps->end)
		return -EINVAL;
	switch (*ps->p) {
	case '{':
		return parse_container(ps, v, true);
	case '[':
		return parse_container(ps, v, false);
	case '"':
		v->type = JREAD_STR;
		return parse_string(ps, &v->s);
	case 't':
	case 'f':
		v->type = JREAD_BOOL;
		v->b = *ps->p == 't';
		return literal(ps, v->b ? "true" : "false") ? 0 : -EINVAL;
	case 'n':
		v->type = JREAD_NULL;
		return literal(ps, "null") ? 0 : -EINVAL;
	default:
		return parse_number(ps, v);
	}
}

int jread_parse(const char *buf, size_t len, struct jread_val *v)
{
	struct parser ps = { .p = buf, .end = buf + len };
	int err;

	memset(v, 0, sizeof(*v));
	err = parse_value(&ps, v);
	skip_ws(&ps);
	if (!err && ps.p != ps.end)
		err = -EINVAL;
	if (err)
		jread_val_free(v);
	return err;
}

const struct jread_val *jread_get(const struct jread_val *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != JREAD_OBJ)
		return NULL;
	for (i = obj->n; i-- > 0; )
		if (!strcmp(obj->members[i].key, key))
			return &obj->members[i].val;
	return NULL;
}

const char *jread_str(const struct jread_val *v)
{
	return v && v->type == JREAD_STR ? v->s : "";
}

int64_t jread_int(const struct jread_val *v)
{
	if (!v || v->type != JREAD_NUM)
		return 0;
	if (v->is_int)
		return v->i;
	/* A fraction or an exponent: truncate when it fits, else treat as absent. */
	return v->num > -9.2e18 && v->num < 9.2e18 ? (int64_t)v->num : 0;
}

bool jread_bool(const struct jread_val *v)
{
	return v && ((v->type == JREAD_BOOL && v->b) || (v->type == JREAD_NUM && v->num != 0));
}

double jread_num(const struct jread_val *v)
{
	return v && v->type == JREAD_NUM && isfinite(v->num) ? v->num : 0;
}

static void print_str(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

void jread_fprint(FILE *f, const struct jread_val *v)
{
	size_t i;

	if (!v) {
		fputs("null", f);
		return;
	}
	switch (v->type) {
	case JREAD_NULL: fputs("null", f); break;
	case JREAD_BOOL: fputs(v->b ? "true" : "false", f); break;
	case JREAD_STR: print_str(f, v->s); break;
	case JREAD_NUM:
		if (v->is_int)
			fprintf(f, "%" PRId64, v->i);
		else if (isfinite(v->num))
			fprintf(f, "%.17g", v->num);
		else
			fputs("null", f);
		break;
	case JREAD_ARR:
	case JREAD_OBJ:
		fputc(v->type == JREAD_OBJ ? '{' : '[', f);
		for (i = 0; i < v->n; i++) {
			if (i)
				fputc(',', f);
			if (v->type == JREAD_OBJ) {
				print_str(f, v->members[i].key);
				fputc(':', f);
				jread_fprint(f, &v->members[i].val);
			} else {
				jread_fprint(f, &v->items[i]);
			}
		}
		fputc(v->type == JREAD_OBJ ? '}' : ']', f);
		break;
	}
}
