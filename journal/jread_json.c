/*
 * The JSON under the journal reader: jansson parses, and its values are
 * copied into the reader's own tree (struct jread_val), which reports/
 * reads and which lives as long as the journal does. jansson keeps the
 * last of repeated keys, refuses invalid UTF-8 (a line with some is read
 * again with those bytes as U+FFFD), lone surrogates and integers beyond
 * int64; \u0000 becomes U+FFFD here, so a string never holds a NUL.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "journal/jjson.h"
#include "journal/jread.h"

/* Deeper nesting is not ours: the line is garbled, and the copy below stays shallow. */
#define MAX_DEPTH 64

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

/* A copy of the string @j with each NUL as U+FFFD. */
static char *copy_str(const json_t *j)
{
	const char *s = json_string_value(j);
	size_t n = json_string_length(j), i, o = 0;
	char *out;

	if (!memchr(s, 0, n))
		return strndup(s, n);
	out = malloc(n * 3 + 1);
	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i]) {
			out[o++] = s[i];
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		}
	}
	out[o] = 0;
	return out;
}

static int copy(const json_t *j, struct jread_val *v, int depth)
{
	const char *key;
	json_t *item;
	size_t i;
	int err;

	memset(v, 0, sizeof(*v));
	switch (json_typeof(j)) {
	case JSON_NULL:
		v->type = JREAD_NULL;
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		v->type = JREAD_BOOL;
		v->b = json_is_true(j);
		return 0;
	case JSON_INTEGER:
		v->type = JREAD_NUM;
		v->is_int = true;
		v->i = json_integer_value(j);
		v->num = (double)v->i;
		return 0;
	case JSON_REAL:
		v->type = JREAD_NUM;
		v->num = json_real_value(j);
		return 0;
	case JSON_STRING:
		v->type = JREAD_STR;
		v->s = copy_str(j);
		return v->s ? 0 : -ENOMEM;
	case JSON_ARRAY:
	case JSON_OBJECT:
		break;
	}
	if (depth >= MAX_DEPTH)
		return -EINVAL;
	if (json_is_array(j)) {
		v->type = JREAD_ARR;
		v->items = calloc(json_array_size(j) + 1, sizeof(*v->items));
		if (!v->items)
			return -ENOMEM;
		json_array_foreach(j, i, item) {
			err = copy(item, &v->items[v->n], depth + 1);
			if (err) {
				jread_val_free(&v->items[v->n]);
				return err;
			}
			v->n++;
		}
		return 0;
	}
	v->type = JREAD_OBJ;
	v->members = calloc(json_object_size(j) + 1, sizeof(*v->members));
	if (!v->members)
		return -ENOMEM;
	/* In file order: jansson keeps the order members were read in. */
	json_object_foreach((json_t *)j, key, item) {
		struct jread_member *m = &v->members[v->n];

		m->key = strdup(key);
		if (!m->key)
			return -ENOMEM;
		err = copy(item, &m->val, depth + 1);
		if (err) {
			free(m->key);
			jread_val_free(&m->val);
			return err;
		}
		v->n++;
	}
	return 0;
}

static json_t *load(const char *buf, size_t len, json_error_t *e)
{
	return json_loadb(buf, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, e);
}

int jread_parse(const char *buf, size_t len, struct jread_val *v)
{
	json_error_t e;
	json_t *j = load(buf, len, &e);
	int err;

	memset(v, 0, sizeof(*v));
	if (!j && json_error_code(&e) == json_error_invalid_utf8) {
		/* Bytes that are no UTF-8 (an older journal, a program's output): U+FFFD. */
		size_t n;
		char *fixed = jjson_utf8_fix(buf, len, &n);

		if (fixed)
			j = load(fixed, n, &e);
		free(fixed);
	}
	if (!j)
		return json_error_code(&e) == json_error_out_of_memory ? -ENOMEM : -EINVAL;
	err = copy(j, v, 0);
	json_decref(j);
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

/* @v back as a jansson value, for printing. */
static json_t *to_json(const struct jread_val *v)
{
	json_t *j;
	size_t i;

	switch (v->type) {
	case JREAD_NULL: return json_null();
	case JREAD_BOOL: return json_boolean(v->b);
	case JREAD_STR: return jjson_str(v->s);
	case JREAD_NUM:
		if (v->is_int)
			return json_integer(v->i);
		return isfinite(v->num) ? json_real(v->num) : json_null();
	case JREAD_ARR:
		j = json_array();
		for (i = 0; j && i < v->n; i++)
			if (json_array_append_new(j, to_json(&v->items[i]))) {
				json_decref(j);
				return NULL;
			}
		return j;
	case JREAD_OBJ:
		j = json_object();
		for (i = 0; j && i < v->n; i++)
			if (json_object_set_new(j, v->members[i].key, to_json(&v->members[i].val))) {
				json_decref(j);
				return NULL;
			}
		return j;
	}
	return NULL;
}

void jread_fprint(FILE *f, const struct jread_val *v)
{
	json_t *j = v ? to_json(v) : json_null();

	if (!j || json_dumpf(j, f, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17)))
		fputs("null", f);
	json_decref(j);
}
