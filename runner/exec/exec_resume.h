/*
 * exec --resume: where an earlier sweep into the same journal stopped (a
 * dead kernel under --vm), so a new one skips the invocations it finished
 * and goes on at the next N of the one in flight.
 */
#ifndef FS_EXEC_RESUME_H
#define FS_EXEC_RESUME_H

#include <stdbool.h>
#include <stddef.h>

struct exec_resume_case {
	char *name;
	unsigned last_nth;      /* the highest N journaled */
	unsigned steps, fails;  /* steps journaled; FAIL or with a kernel report */
	bool done;              /* a case record was journaled */
};

struct exec_resume {
	struct exec_resume_case *c;
	size_t n;
};

/**
 * exec_resume_load() - read @journal's step and case records into @r.
 * 0 (an absent journal is an empty one) or -errno.
 */
int exec_resume_load(const char *journal, struct exec_resume *r);

/**
 * exec_resume_from() - the first N to run for @case_name: 1 when @r does
 * not know it, 0 when it is done, else its last journaled N + 1.
 */
unsigned exec_resume_from(const struct exec_resume *r, const char *case_name);

/** exec_resume_case() - what @r knows of @case_name, or NULL. */
const struct exec_resume_case *exec_resume_case(const struct exec_resume *r,
						const char *case_name);

void exec_resume_free(struct exec_resume *r);

#endif
