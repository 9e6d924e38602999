/* Fitting a record to the journal's limit: its longest raw texts are cut, never the record dropped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/jjson.h"

/*
 * The fields that hold raw text, in any record type: a kernel report's
 * lines, a program's output (its tail is what matters), backtraces, the
 * clean run's invocations, a command line, a site's frames, a note.
 */
static const struct {
	const char *key, *sub;
	bool tail;
} cuttable[] = {
	{ "raw", NULL, false },
	{ "output", NULL, true },
	{ "callsite", NULL, false },
	{ "crash", "frames", false },
	{ "calls", NULL, false },
	{ "command", NULL, false },
	{ "frames", NULL, false },
	{ "addrs", NULL, false },
	{ "text", NULL, false },
};

/* Past these, any other string may lose its end too, down to this many bytes. */
#define OTHER_STRING_FLOOR 256
#define MAX_FIELDS 24

struct field {
	json_t *parent;
	const char *key;
	char path[40];
	json_t *orig;           /* the value as the writer made it (a reference) */
	size_t full, keep;      /* bytes of a string, items of an array */
	size_t floor;
	bool tail, arr;
};

static size_t dumped(const json_t *v)
{
	return json_dumpb(v, NULL, 0, JJSON_DUMP | JSON_ENCODE_ANY);
}

static void add(struct field *f, size_t *n, json_t *parent, const char *key, const char *path,
		bool tail, size_t floor)
{
	json_t *v = json_object_get(parent, key);
	struct field *x;

	if (*n == MAX_FIELDS || !v || !(json_is_string(v) || json_is_array(v)))
		return;
	x = &f[(*n)++];
	x->parent = parent;
	x->key = key;
	snprintf(x->path, sizeof(x->path), "%s", path);
	x->orig = json_incref(v);
	x->arr = json_is_array(v);
	x->full = x->keep = x->arr ? json_array_size(v) : json_string_length(v);
	x->floor = floor;
	x->tail = tail;
}

static void collect(json_t *rec, struct field *f, size_t *n)
{
	const char *key;
	json_t *v;
	size_t i, k;

	for (i = 0; i < sizeof(cuttable) / sizeof(cuttable[0]); i++) {
		char path[40];

		if (!cuttable[i].sub) {
			add(f, n, rec, cuttable[i].key, cuttable[i].key, cuttable[i].tail, 0);
			continue;
		}
		v = json_object_get(rec, cuttable[i].key);
		snprintf(path, sizeof(path), "%s.%s", cuttable[i].key, cuttable[i].sub);
		if (json_is_object(v))
			add(f, n, v, cuttable[i].sub, path, cuttable[i].tail, 0);
	}
	json_object_foreach(rec, key, v) {
		if (!json_is_string(v) || json_string_length(v) <= OTHER_STRING_FLOOR)
			continue;
		for (k = 0; k < *n && !(f[k].parent == rec && !strcmp(f[k].key, key)); k++)
			;
		if (k == *n)
			add(f, n, rec, key, key, false, OTHER_STRING_FLOOR);
	}
}

/* @f's value with @f->keep of its bytes or items (shrink() kept characters whole), the cut marked. */
static json_t *shortened(const struct field *f)
{
	size_t i, mlen;
	char mark[64], *buf;
	const char *s;
	json_t *v;

	if (f->arr) {
		v = json_array();
		for (i = 0; v && i < f->keep; i++)
			if (json_array_append(v, json_array_get(f->orig, i))) {
				json_decref(v);
				return NULL;
			}
		return v;
	}
	s = json_string_value(f->orig);
	mlen = (size_t)snprintf(mark, sizeof(mark), f->tail ? "[faultsweep: %zu bytes cut]\n" :
				"\n[faultsweep: %zu bytes cut]", f->full - f->keep);
	buf = malloc(f->keep + mlen);
	if (!buf)
		return NULL;
	if (f->tail) {
		memcpy(buf, mark, mlen);
		memcpy(buf + mlen, s + f->full - f->keep, f->keep);
	} else {
		memcpy(buf, s, f->keep);
		memcpy(buf + f->keep, mark, mlen);
	}
	v = json_stringn_nocheck(buf, f->keep + mlen);
	free(buf);
	return v;
}

/* Make @f about @need dumped bytes shorter (at most down to its floor). */
static void shrink(struct field *f, size_t need)
{
	const json_t *cur = json_object_get(f->parent, f->key);
	size_t size = dumped(cur), less;
	const char *s;

	if (f->arr) {
		for (less = 0; f->keep > f->floor && less < need; f->keep--)
			less += dumped(json_array_get(f->orig, f->keep - 1)) + 1;
		return;
	}
	/* Escapes make a byte up to 6 in the line: scale by what the value costs now. */
	less = need * f->keep / (size ? size : 1) + 16;
	f->keep = f->keep - f->floor > less ? f->keep - less : f->floor;
	s = json_string_value(f->orig);
	if (f->tail) {
		size_t from = f->full - f->keep;

		while (from < f->full && ((unsigned char)s[from] & 0xc0) == 0x80)
			from++;
		f->keep = f->full - from;
	} else {
		while (f->keep && ((unsigned char)s[f->keep] & 0xc0) == 0x80)
			f->keep--;
	}
}

size_t jcut_fit(json_t *rec, size_t max)
{
	size_t len = json_dumpb(rec, NULL, 0, JJSON_DUMP), n = 0, i, iter;
	struct field f[MAX_FIELDS];
	json_t *cut = NULL;

	if (len <= max || !json_is_object(rec))
		return len;
	collect(rec, f, &n);
	for (iter = 0; iter < 256 && len > max; iter++) {
		struct field *big = NULL;
		size_t big_size = 0, second = 0, step = len - max;

		for (i = 0; i < n; i++) {
			size_t size;

			if (f[i].keep <= f[i].floor)
				continue;
			size = dumped(json_object_get(f[i].parent, f[i].key));
			if (size > big_size) {
				second = big_size;
				big = &f[i];
				big_size = size;
			} else if (size > second) {
				second = size;
			}
		}
		if (!big)
			break;
		/* The longest first, until it is no longer the longest: texts cut evenly. */
		if (second && big_size - second + 64 < step)
			step = big_size - second + 64;
		shrink(big, step);
		if (json_object_set_new(big->parent, big->key, shortened(big)))
			break;
		if (!cut) {
			cut = json_object();
			if (json_object_set_new(rec, "cut", cut))
				break;
		}
		json_object_set_new(cut, big->path, json_integer(big->full - big->keep));
		len = json_dumpb(rec, NULL, 0, JJSON_DUMP);
	}
	for (i = 0; i < n; i++)
		json_decref(f[i].orig);
	return len;
}
