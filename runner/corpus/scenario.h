/*
 * Scenarios of a corpus file (docs/corpus.md): an unmodified program swept
 * with `exec`, or a kernel module swept with `module` (and its exercise).
 */
#ifndef FS_SCENARIO_H
#define FS_SCENARIO_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct fs_scenario {
	char name[64];
	char area[32];
	char where[256];        /* corpus file */
	int line;               /* of its `scenario` line */
	char *setup, *cleanup;  /* shell commands (sh -c), or NULL */
	char **argv;            /* exec: the program; module: the exercise (NULL: none) */
	int argc;
	bool exercise;          /* argv came from 'exercise' */
	char module[PATH_MAX];  /* module: the .ko, "" for an exec scenario */
	char params[1024];      /* module parameters */
	char syscalls[256];     /* exec/exercise: trapped syscalls, "" = the default set */
	int max_calls;          /* 0 = all */
	int expect_exit;        /* the clean run's exit status (default 0) */
	int timeout_s;          /* per step, 0 = the run's */
	char conf[256];         /* not runnable here (an unset $VAR...): why; "" = runnable */
};

struct fs_scenario_list {
	struct fs_scenario *items;
	int n, cap;
};

/**
 * scn_split() - split @s into words like sh does for a simple command:
 * blanks separate, '...' is literal, "..." keeps blanks and expands
 * $VAR/${VAR} (\" \\ \$ escape), \ escapes one character, $VAR expands
 * outside quotes. No globbing, no command substitution. An unset variable
 * is left in @unset (its name; the caller decides) and expands to "".
 * Returns the word count (argv NULL-terminated, free with scn_free_words()),
 * or -EINVAL with @err and the 1-based column *@col of the problem.
 */
int scn_split(const char *s, char ***argv, char *unset, size_t unset_len, char *err,
	      size_t err_len, int *col);

void scn_free_words(char **argv);

/**
 * scn_directive() - parse one indented line @text (property @key, value at
 * column @vcol) into @sc. Messages are "file:line:column: ..." on stderr.
 * 0 or -EINVAL.
 */
int scn_directive(struct fs_scenario *sc, const char *key, const char *value,
		  const char *path, int lineno, int kcol, int vcol);

/** scn_finish() - check a complete scenario (exactly one of exec/module...). */
int scn_finish(struct fs_scenario *sc, const char *path);

/** scn_begin() - a new scenario NAME at @path:@lineno in @sl, or NULL (no memory). */
struct fs_scenario *scn_begin(struct fs_scenario_list *sl, const char *name, const char *path,
			      int lineno);

void scn_list_free(struct fs_scenario_list *sl);

#endif
