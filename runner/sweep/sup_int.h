/* Internals shared by the supervisor's files: sup.c (slots, workers) and sup_record.c (journal, counters). */
#ifndef FS_SUP_INT_H
#define FS_SUP_INT_H

#include <pthread.h>
#include <stdbool.h>

#include "runner/sweep/oracle.h"
#include "runner/sweep/sup.h"
#include "runner/sweep/wrec.h"

struct sup {
	const struct sup_opts *o;
	struct sup_case *cases;
	size_t ncases, next;
	struct fs_stats *st;
	volatile bool *stop;
	pthread_mutex_t lock;
	pthread_mutex_t serial;	/* held while an FS_SERIAL case runs */
	char self[4096];
	double t_end;
};

/* Journal one step record (group-committed) and count it. */
void sup_record_step(struct sup *s, struct sup_case *c, const struct fs_wrec *r,
		     const struct fs_verdict *v);
/*
 * Journal the "site" record (attribution "patch") of fired step @r from the
 * fail-nth-site text its worker sent; site "" (unresolved) when it had none.
 */
void sup_record_site(struct sup *s, struct sup_case *c, const struct fs_wrec *r);
/* Journal a case record (and flush the slot's batch). */
void sup_record_case(struct sup *s, struct sup_case *c, const char *reason);
/* Journal a "note" record (what the summary must say) and flush. */
void sup_record_note(struct sup *s, const char *text);
/*
 * After a worker of @c died or hung: when the case says the kernel is left
 * unusable (fs_harness.stuck), note why, ask for a reboot and stop the run.
 * True when it did.
 */
bool sup_check_stuck(struct sup *s, struct sup_case *c);
/* Write the records this thread has batched with one write(2). */
void sup_flush(struct sup *s);
/* The kernel's taint flags now. */
unsigned long sup_read_taint(void);
/* A taint that appeared during the case with no report anywhere is a finding. */
void sup_check_taint(struct sup *s, struct sup_case *c, unsigned long before,
		     unsigned reports_before);

#endif
