/*
 * Reproducers: for each failing step of a journal, a standalone C program
 * (OUT/repro/<case>-n<N>.c) built from the harness code the runner runs,
 * and a script (<case>-n<N>.sh) that compiles and runs it, reads the kernel
 * log and answers with `git bisect run` exit codes.
 */
#ifndef FS_REPRO_H
#define FS_REPRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "journal/jread.h"

/*
 * The texts embedded at build time (reports/repro/embed.cmake): one harness file
 * with the case names it registers, harness/harness.h, knob_io.h,
 * harness_lib.c and the net and ipc helpers a harness may include, the
 * standalone runtime (reports/repro/repro_rt.c) and the script template
 * (reports/repro/repro.sh.in).
 */
struct repro_src {
	const char *path;		/* "syscalls/pipe.c" */
	const char *text;
	const char *const *cases;	/* NULL-terminated */
};

extern const struct repro_src repro_srcs[];
extern const size_t repro_nsrcs;
extern const char repro_text_harness_h[];
extern const char repro_text_knob_io[];
extern const char repro_text_harness_lib[];
extern const char repro_text_net_h[];
extern const char repro_text_net_c[];
extern const char repro_text_ipc_h[];
extern const char repro_text_ipc_c[];
extern const char repro_text_rt[];
extern const char repro_text_sh[];

/** repro_find_case() - the embedded harness file that registers case @name, or NULL. */
const struct repro_src *repro_find_case(const char *name);

/*
 * What one reproducer is made from: the step, the run record of its run
 * (NULL when the journal has none: faults default to slab,page).
 */
struct repro_job {
	const struct jread_step *step;
	const struct jread_run *run;
	const struct repro_src *src;
	const char *faultsweep;		/* absolute path the .sh defaults FAULTSWEEP to */
};

/**
 * repro_mod_src() - the harness source of module case @name from its
 * "modcase" record @mc (reports/repro/repro_mod.c), in @src, text in *@text
 * (free it). 0, -EINVAL (not a module case record) or -ENOMEM.
 */
int repro_mod_src(const struct jread_val *mc, const char *name, struct repro_src *src,
		  char **text);

/** repro_write_c() - write the standalone C reproducer of @job to @f. 0 or -errno. */
int repro_write_c(FILE *f, const struct repro_job *job);

/** repro_write_sh() - write the bisect script of @job to @f. 0 or -errno. */
int repro_write_sh(FILE *f, const struct repro_job *job);

struct repro_opts {
	bool all;			/* one per failing step, not one per finding title */
	const char *faultsweep;		/* see struct repro_job */
};

struct repro_stats {
	size_t failing;			/* failing steps (FAIL, or a kernel report attached) */
	size_t written;			/* reproducers written (.c and .sh each) */
	size_t dup;			/* failing steps whose every title had one already */
	size_t unknown;			/* failing steps of a case this binary lacks */
};

/**
 * repro_write_all() - write OUT/repro/<case>-n<N>.{c,sh} for the failing
 * steps of @j into @outdir/repro: the first step of each finding title (a
 * finding's or an attached kernel report's), or every one with @o->all.
 * A step of a case not compiled into this binary is skipped with a warning
 * naming the case and the journal's file:line. Returns 0 or -errno when a
 * file cannot be written; @st says what was done.
 */
int repro_write_all(const struct jread_journal *j, const char *outdir,
		    const struct repro_opts *o, struct repro_stats *st);

#endif
