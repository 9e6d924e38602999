/* Scenario blocks of corpus files: their properties and sh-like word splitting (docs/corpus.md). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/corpus/scenario.h"

struct sbuf {
	char *p;
	size_t len, cap;
};

static int put(struct sbuf *b, char ch)
{
	if (b->len + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char *p = realloc(b->p, cap);

		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	b->p[b->len++] = ch;
	b->p[b->len] = 0;
	return 0;
}

static int is_name(char ch, bool first)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_' ||
	       (!first && ch >= '0' && ch <= '9');
}

/* Expands $NAME or ${NAME} at *@pp (just past the '$') into @b. */
static int expand(const char **pp, struct sbuf *b, char *unset, size_t unset_len)
{
	const char *p = *pp, *start, *val;
	char name[128];
	bool brace = *p == '{';
	size_t n;

	if (brace)
		p++;
	start = p;
	while (is_name(*p, p == start))
		p++;
	n = p - start;
	if (!n || n >= sizeof(name) || (brace && *p != '}'))
		return -EINVAL;
	memcpy(name, start, n);
	name[n] = 0;
	if (brace)
		p++;
	*pp = p;
	val = getenv(name);
	if (!val) {
		if (unset && !*unset)
			snprintf(unset, unset_len, "%s", name);
		return 0;
	}
	for (; *val; val++)
		if (put(b, *val))
			return -ENOMEM;
	return 0;
}

static int add_word(char ***argv, int *argc, struct sbuf *b)
{
	char **v = realloc(*argv, (*argc + 2) * sizeof(**argv));

	if (!v)
		return -ENOMEM;
	*argv = v;
	v[(*argc)++] = b->p ? b->p : strdup("");
	v[*argc] = NULL;
	b->p = NULL;
	b->len = b->cap = 0;
	return v[*argc - 1] ? 0 : -ENOMEM;
}

int scn_split(const char *s, char ***argv, char *unset, size_t unset_len, char *err,
	      size_t err_len, int *col)
{
	const char *p = s, *open = NULL;
	struct sbuf b = { 0 };
	char **v = NULL;
	int n = 0, ret = 0;
	bool in_word = false, quoted = false;
	char quote = 0;

	if (unset && unset_len)
		*unset = 0;
	for (; *p; p++) {
		if (!quote && (*p == ' ' || *p == '\t')) {
			/* As in sh, an unquoted expansion to nothing makes no word. */
			if (in_word && (b.len || quoted) && (ret = add_word(&v, &n, &b)))
				goto fail;
			in_word = quoted = false;
			continue;
		}
		in_word = true;
		if (!quote && (*p == '\'' || *p == '"')) {
			quote = *p;
			quoted = true;
			open = p;
			continue;
		}
		if (quote && *p == quote) {
			quote = 0;
			continue;
		}
		if (quote != '\'' && *p == '\\') {
			if (!p[1]) {
				snprintf(err, err_len, "a backslash ends the line");
				*col = p - s + 1;
				ret = -EINVAL;
				goto fail;
			}
			/* Inside "...", \ escapes only " \ $ (as in sh). */
			if (quote == '"' && !strchr("\"\\$", p[1]))
				ret = put(&b, *p);
			if (!ret)
				ret = put(&b, *++p);
		} else if (quote != '\'' && *p == '$') {
			const char *at = p++;

			ret = expand(&p, &b, unset, unset_len);
			if (ret == -EINVAL) {
				snprintf(err, err_len, "bad variable reference (want $NAME or ${NAME})");
				*col = at - s + 1;
				goto fail;
			}
			p--;
		} else {
			ret = put(&b, *p);
		}
		if (ret)
			goto fail;
	}
	if (quote) {
		snprintf(err, err_len, "unterminated %c quote", quote);
		*col = open - s + 1;
		ret = -EINVAL;
		goto fail;
	}
	if (in_word && (b.len || quoted) && (ret = add_word(&v, &n, &b)))
		goto fail;
	if (!v && (v = calloc(1, sizeof(*v))) == NULL)
		return -ENOMEM;
	*argv = v;
	return n;
fail:
	free(b.p);
	scn_free_words(v);
	return ret;
}

void scn_free_words(char **argv)
{
	char **p;

	for (p = argv; p && *p; p++)
		free(*p);
	free(argv);
}

struct fs_scenario *scn_begin(struct fs_scenario_list *sl, const char *name, const char *path,
			      int lineno)
{
	struct fs_scenario *sc;

	if (sl->n == sl->cap) {
		int cap = sl->cap ? sl->cap * 2 : 8;

		sc = realloc(sl->items, cap * sizeof(*sc));
		if (!sc)
			return NULL;
		sl->items = sc;
		sl->cap = cap;
	}
	sc = &sl->items[sl->n++];
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->name, sizeof(sc->name), "%s", name);
	snprintf(sc->where, sizeof(sc->where), "%s", path);
	sc->line = lineno;
	return sc;
}

__attribute__((format(printf, 4, 5)))
static int bad(const char *path, int lineno, int col, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d:%d: ", path, lineno, col);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

static int number(const char *v, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(v, &end, 10);
	return !*v || *end || errno || *out < min || *out > max ? -EINVAL : 0;
}

/* A relative module path is relative to the corpus file's directory. */
static void resolve(char *dst, size_t len, const char *path, const char *rel)
{
	const char *slash = strrchr(path, '/');

	if (rel[0] == '/' || !slash)
		snprintf(dst, len, "%s", rel);
	else
		snprintf(dst, len, "%.*s/%s", (int)(slash - path), path, rel);
}

static int words(struct fs_scenario *sc, const char *v, char ***out, const char *path,
		 int lineno, int vcol)
{
	char err[128], unset[128];
	int col = 0, n = scn_split(v, out, unset, sizeof(unset), err, sizeof(err), &col);

	if (n == -ENOMEM)
		return n;
	if (n < 0)
		return bad(path, lineno, vcol + col - 1, "%s", err);
	if (*unset && !*sc->conf)
		snprintf(sc->conf, sizeof(sc->conf), "$%s is not set (%s:%d)", unset, path, lineno);
	return n;
}

int scn_directive(struct fs_scenario *sc, const char *key, const char *value,
		  const char *path, int lineno, int kcol, int vcol)
{
	char **w = NULL;
	long num;
	int n, i;

	if (!*value)
		return bad(path, lineno, kcol, "'%s' needs a value", key);
	if (!strcmp(key, "area")) {
		for (i = 0; value[i]; i++)
			if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_", value[i]))
				return bad(path, lineno, vcol + i, "bad area '%s' ([a-z0-9_])", value);
		snprintf(sc->area, sizeof(sc->area), "%s", value);
	} else if (!strcmp(key, "setup") || !strcmp(key, "cleanup")) {
		char **dst = key[0] == 's' ? &sc->setup : &sc->cleanup;

		if (*dst)
			return bad(path, lineno, kcol, "'%s' given twice", key);
		*dst = strdup(value);
		if (!*dst)
			return -ENOMEM;
	} else if (!strcmp(key, "exec") || !strcmp(key, "exercise")) {
		if (sc->argv)
			return bad(path, lineno, kcol, "'%s': the scenario already has a "
				   "command (one exec or exercise)", key);
		n = words(sc, value, &sc->argv, path, lineno, vcol);
		if (n < 0)
			return n;
		sc->argc = n;
		sc->exercise = !strcmp(key, "exercise");
	} else if (!strcmp(key, "module")) {
		if (*sc->module)
			return bad(path, lineno, kcol, "'%s' given twice", key);
		n = words(sc, value, &w, path, lineno, vcol);
		if (n < 0)
			return n;
		resolve(sc->module, sizeof(sc->module), path, w[0] ? w[0] : "");
		for (i = 1; i < n; i++) {
			size_t l = strlen(sc->params);

			if (!strchr(w[i], '=') || w[i][0] == '=') {
				int r = bad(path, lineno, vcol, "module parameter '%s' is not "
					    "NAME=VALUE", w[i]);

				scn_free_words(w);
				return r;
			}
			snprintf(sc->params + l, sizeof(sc->params) - 1 - l, "%s%s",
				 l ? " " : "", w[i]);
		}
		scn_free_words(w);
	} else if (!strcmp(key, "syscalls")) {
		for (i = 0; value[i]; i++)
			if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_,", value[i]))
				return bad(path, lineno, vcol + i, "bad syscall list '%s' "
					   "(names separated by commas)", value);
		snprintf(sc->syscalls, sizeof(sc->syscalls), "%s", value);
	} else if (!strcmp(key, "max-calls")) {
		if (number(value, 1, 1 << 20, &num))
			return bad(path, lineno, vcol, "max-calls '%s' is not a number in [1, 1048576]",
				   value);
		sc->max_calls = num;
	} else if (!strcmp(key, "expect-exit")) {
		if (number(value, 0, 255, &num))
			return bad(path, lineno, vcol, "expect-exit '%s' is not in [0, 255]", value);
		sc->expect_exit = num;
	} else if (!strcmp(key, "timeout")) {
		if (number(value, 1, 86400, &num))
			return bad(path, lineno, vcol, "timeout '%s' is not seconds in [1, 86400]",
				   value);
		sc->timeout_s = num;
	} else {
		return bad(path, lineno, kcol, "unknown scenario property '%s' (area, setup, "
			   "cleanup, exec, module, exercise, syscalls, max-calls, expect-exit, "
			   "timeout)", key);
	}
	return 0;
}

int scn_finish(struct fs_scenario *sc, const char *path)
{
	const char *err = NULL;

	if (!sc->argv && !*sc->module)
		err = "needs 'exec COMMAND' or 'module FILE.ko'";
	else if (*sc->module && sc->argv && !sc->exercise)
		err = "has both 'exec' and 'module' (a module's program is its 'exercise')";
	else if (sc->exercise && !*sc->module)
		err = "has 'exercise' without 'module'";
	else if (sc->argv && !sc->argc)
		err = "has an empty command";
	else if (!sc->argv && (*sc->syscalls || sc->max_calls))
		err = "has 'syscalls' or 'max-calls' but no command to trace";
	if (err) {
		fprintf(stderr, "%s:%d:1: scenario '%s' %s\n", path, sc->line, sc->name, err);
		return -EINVAL;
	}
	if (!*sc->area)
		snprintf(sc->area, sizeof(sc->area), "%s", *sc->module ? "module" : "exec");
	return 0;
}

void scn_list_free(struct fs_scenario_list *sl)
{
	int i;

	for (i = 0; i < sl->n; i++) {
		free(sl->items[i].setup);
		free(sl->items[i].cleanup);
		scn_free_words(sl->items[i].argv);
	}
	free(sl->items);
	sl->items = NULL;
	sl->n = sl->cap = 0;
}
