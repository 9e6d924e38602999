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

/** jread_int() - the number @v as an integer (a fraction truncated), or 0 when NULL or not one. */
int64_t jread_int(const struct jread_val *v);

/** jread_bool() - true when @v is true or a non-zero number. */
bool jread_bool(const struct jread_val *v);

/** jread_num() - the finite number @v, or 0. */
double jread_num(const struct jread_val *v);

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
 * A kernel report (KASAN, kmemleak, WARNING, Oops, a taint, …): a "report"
 * record, or an item of a step record's own "reports" array (older
 * journals). @case_name and @nth say where the runner attributed it: nth 0
 * is the case as a whole, case "" nothing; @attribution is how ("pid",
 * "time", "case", "none"; "" for a step's own item). @guilty (the guilty
 * frame) and @site are kept as journaled, a string or an object ({"func",
 * "module"}), NULL when absent or null. @rec is the record (or item) as
 * parsed, for the fields not typed here (file, line, bug_type, comm, seq).
 * All point into memory the journal owns.
 */
struct jread_report {
	const char *run, *case_name, *area, *attribution, *kind, *title, *raw;
	uint64_t nth;
	int64_t pid;
	bool panicked;
	const struct jread_val *guilty, *site, *rec;
	const char *file;		/* where the record was read */
	unsigned long line;
};

/*
 * The typed records. String fields are never NULL ("" when absent) and point
 * into @rec, the whole record as parsed, which keeps the fields this reader
 * does not know for later code.
 */
struct jread_step {
	const char *run, *case_name, *area, *verdict, *errno_name, *reason;
	const char *retry_errno_name;
	const char *console;		/* the console log kept when the kernel died */
	uint64_t nth;
	int64_t ret, err, retry_ret, pid, ts;
	double t_ms;
	bool fired, swallowed, fd_leak, retried, nondeterministic;
	bool has_ret;			/* ret or errno was journaled (not so after a panic) */
	struct jread_finding *findings;
	size_t nfindings;
	/*
	 * The step record's own "reports" first (@nreports_own of them), then
	 * every "report" record with the same (case, nth) and a compatible run
	 * (the same, or either without one), in journal order.
	 */
	struct jread_report *reports;
	size_t nreports, nreports_own;
	/* The first "site" record of this step (where its fault hit), or NULL. */
	const struct jread_val *site;
	const char *file;		/* where the record was read */
	unsigned long line;
	struct jread_val rec;
};

struct jread_case {
	const char *run, *case_name, *area, *verdict, *reason;
	uint64_t points, steps;
	uint64_t kernel_reports;	/* as counted by the runner */
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
struct jread_kept;

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
	/*
	 * Reports whose step is not in the journal (nth 0, no case, or the step
	 * record lost), in journal order: none is dropped.
	 */
	struct jread_report *orphans;
	size_t norphans;
	/*
	 * "site" records (where a fault hit, from the kernel's fault-injection
	 * dumps) as parsed, in journal order, repeats included: reports/coverage/cov.c
	 * reads them.
	 */
	struct jread_val *sites;
	size_t nsites, sites_cap;
	/*
	 * "modcase" records: a case made at run time for a kernel module
	 * (runner/module/modcase.c) with its .ko, module name, parameters, kind
	 * ("load"/"unload") and whether N was scoped to the module; the last
	 * one per case wins (jread_modcase()). reports/repro/repro_mod.c reads them.
	 */
	struct jread_val *modcases;
	size_t nmodcases, modcases_cap;
	size_t kmsg_gaps;		/* "kmsg-gap" records: kernel log lost */
	char **notes;			/* "note" records' texts, each once */
	size_t nnotes;
	char **owned;			/* strings later passes gave records (sym_leaks.c) */
	size_t nowned;
	size_t lines_skipped;		/* cut, garbled or unusable lines */
	bool quiet;			/* no warnings on stderr (fuzzing) */
	struct jread_index *idx;
	struct jread_kept *kept;	/* the report records */
	size_t steps_cap, cases_cap, runs_cap, nfiles, nkept, kept_cap;
	char **files;
};

/**
 * jread_load() - read the journal @path into @j, merging with what @j holds:
 * a step with the same (case, nth), a case record with the same case, or a
 * run record with the same run id replaces the earlier one (later files win,
 * as do later lines); so does a report record equal in run, case, nth, seq,
 * kind, title and raw text. After each file, every report record is attached
 * anew to its step (struct jread_step.reports) or, when there is none, kept
 * in @j->orphans. A cut or garbled line is skipped with a warning naming
 * file:line; it never stops the rest. Returns the number of records taken
 * from @path (kmsg-gap records count), or -errno when it cannot be read
 * (-ENOMEM on allocation failure).
 */
int jread_load(struct jread_journal *j, const char *path);

/** jread_modcase() - the last "modcase" record of case @name, or NULL. */
const struct jread_val *jread_modcase(const struct jread_journal *j, const char *name);

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
