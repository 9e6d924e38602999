/* Inside the journal reader (internal): the report records, kept apart and attached after each file. */
#ifndef FS_JREAD_INT_H
#define FS_JREAD_INT_H

#include "journal/jread.h"

/* One "report" record: the record it owns (its own allocation, so it never moves) and its view. */
struct jread_kept {
	struct jread_val *rec;
	struct jread_report r;
	int64_t seq;
};

/** jread_report_fill() - type the report @o into @r (@r->file and @r->line are left alone). */
void jread_report_fill(struct jread_report *r, const struct jread_val *o);

/** jread_report_take() - keep the "report" record @rec (taken over). Returns 1 or -ENOMEM. */
int jread_report_take(struct jread_journal *j, struct jread_val *rec, const char *file,
		      unsigned long line);

/**
 * jread_report_link() - drop repeated report records (the later one wins, in
 * the earlier one's place), then attach each to its step or list it in
 * @j->orphans. On -ENOMEM some may be neither, but nothing dangles.
 */
int jread_report_link(struct jread_journal *j);

void jread_report_free(struct jread_journal *j);

#endif
