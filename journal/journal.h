/*
 * The journal: one JSON object per line in OUT/journal.jsonl, written and
 * synced record by record, from which every report is made. The records
 * themselves are written by journal/records.h and journal/run_journal.h.
 */
#ifndef FS_JOURNAL_H
#define FS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The most a record may take, newline excluded. A record is one write(2)
 * with O_APPEND; a bigger one loses its longest raw texts first, marked as
 * cut (docs/architecture.md, The journal), and is never dropped.
 */
#define JOURNAL_RECORD_MAX 16384

struct journal;

/**
 * journal_open() - open (creating or appending to) @path. With @sync each
 * write is fdatasync'd before it returns, except on 9p: there write(2)
 * returns once the host has the data, which is what survives a guest
 * panic, and an fdatasync (a host disk flush, ~15 ms under TCG) would only
 * guard against the host crashing. 0 or -errno.
 */
int journal_open(struct journal **jp, const char *path, bool sync);

/**
 * journal_batch_open() - a journal whose records wait in memory until
 * journal_flush() appends them to @parent with one write(2) (group commit
 * of records that arrived together). For one thread; 0 or -ENOMEM.
 */
int journal_batch_open(struct journal **jp, struct journal *parent);

/** journal_flush() - append what the batch @j holds; 0 or -errno (nothing to do for a file). */
int journal_flush(struct journal *j);

/** journal_close() - flush and close @j (NULL is fine). */
void journal_close(struct journal *j);

#endif
