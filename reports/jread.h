/*
 * Reading journals back: a small JSON parser for the JSON-lines journal and
 * the typed step, case and run records every report is made from.
 */
#ifndef FS_JREAD_H
#define FS_JREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum jread_type { JREAD_NULL, JREAD_BOOL, JREAD_NUM, JREAD_STR, JREAD_ARR, JREAD_OBJ };

struct jread_member;

/*
 * One JSON value. Strings are NUL-terminated UTF-8 as written (a \u0000
 * escape or a lone surrogate becomes U+FFFD, so a string never holds a NUL).
 * Numbers keep the double and, when the literal is an integer that fits, the
 * exact int64.
 */
struct jread_val {
	enum jread_type type;
	bool b;
	bool is_int;
	int64_t i;
	double num;
	char *s;
	size_t n;			/* array items or object members */
	struct jread_val *items;	/* JREAD_ARR */
	struct jread_member *members;	/* JREAD_OBJ, in file order */
};

struct jread_member {
	char *key;
	struct jread_val val;
};

/** jread_get() - member @key of object @obj (the last one if repeated), or NULL. */
const struct jread_val *jread_get(const struct jread_val *obj, const char *key);

/** jread_str() - the string @v, or "" when @v is NULL or not a string. */
const char *jread_str(const struct jread_val *v);

/**
 * jread_parse() - parse the JSON text of @len bytes at @buf (no NUL needed) into @v.
 * Nesting deeper than 64 levels, trailing bytes or any syntax error gives
 * -EINVAL; the caller frees @v with jread_val_free() only on success.
 */
int jread_parse(const char *buf, size_t len, struct jread_val *v);

void jread_val_free(struct jread_val *v);

/* A finding as the oracles journal it: kind and a title stable for dedup. */
struct jread_finding {
	const char *kind, *title;
};

/*
 * A kernel report attributed to a step (KASAN, kmemleak, WARN, …). @guilty
 * (the guilty frame) and @site are kept as journaled, a string or an object
 * ({"func", "module"}), NULL when absent or null.
 */
struct jread_report {
	const char *kind, *title, *raw;
	const struct jread_val *guilty, *site;
};

/*
 * The typed records. String fields are never NULL ("" when absent) and point
 * into @rec, the whole record as parsed, which keeps the fields this reader
 * does not know for later code.
 */
struct jread_step {
	const char *run, *case_name, *area, *verdict, *errno_name, *reason;
	const char *retry_errno_name;
	uint64_t nth;
	int64_t ret, err, retry_ret, pid, ts;
	double t_ms;
	bool fired, swallowed, fd_leak, retried, nondeterministic;
	struct jread_finding *findings;
	size_t nfindings;
	struct jread_report *reports;
	size_t nreports;
	const char *file;		/* where the record was read */
	unsigned long line;
	struct jread_val rec;
};

struct jread_case {
	const char *run, *case_name, *area, *verdict, *reason;
	uint64_t points, steps;
	int64_t ts;
	bool nondeterministic;
	const char *file;
	unsigned long line;
	struct jread_val rec;
};

struct jread_run {
	const char *run, *version, *kernel, *faults;
	uint64_t jobs, cases;
	int64_t ts;
	bool resume;
	const char *file;
	unsigned long line;
	struct jread_val rec;
};

struct jread_index;

/*
 * Everything read from one or more journals. Zero-initialise it, load files,
 * then jread_free(). Records keep the order in which they first appeared; a
 * record read again replaces the earlier one in place.
 */
struct jread_journal {
	struct jread_step *steps;
	size_t nsteps;
	struct jread_case *cases;
	size_t ncases;
	struct jread_run *runs;
	size_t nruns;
	size_t lines_skipped;		/* cut, garbled or unusable lines */
	bool quiet;			/* no warnings on stderr (fuzzing) */
	struct jread_index *idx;
	size_t steps_cap, cases_cap, runs_cap, nfiles;
	char **files;
};

/**
 * jread_load() - read the journal @path into @j, merging with what @j holds:
 * a step with the same (case, nth), a case record with the same case, or a
 * run record with the same run id replaces the earlier one (later files win,
 * as do later lines). A cut or garbled line is skipped with a warning naming
 * file:line; it never stops the rest. Returns the number of records taken
 * from @path, or -errno when it cannot be read (-ENOMEM on allocation failure).
 */
int jread_load(struct jread_journal *j, const char *path);

/**
 * jread_load_mem() - as jread_load() for the @len bytes at @buf, named @name
 * in warnings. A last line without a newline is taken if it parses.
 */
int jread_load_mem(struct jread_journal *j, const char *name, const char *buf, size_t len);

/** jread_free() - free everything @j holds and zero it. */
void jread_free(struct jread_journal *j);

/**
 * jread_fprint() - write @v as compact JSON to @f (for system-out and
 * debugging: a fault site given as an object, an unknown field).
 */
void jread_fprint(FILE *f, const struct jread_val *v);

#endif
