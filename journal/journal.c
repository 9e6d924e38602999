/* Appending records to the journal: one write(2) per record or per batch, cut to the limit. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "journal/jjson.h"
#include "journal/journal.h"

struct journal {
	int fd;                 /* -1 for a batch */
	bool sync;
	pthread_mutex_t lock;
	struct journal *parent; /* a batch: where journal_flush() writes */
	char *buf;
	size_t len, cap;
};

int journal_open(struct journal **jp, const char *path, bool sync)
{
	struct journal *j = calloc(1, sizeof(*j));
	struct statfs sf;

	if (!j)
		return -ENOMEM;
	j->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (j->fd < 0) {
		int err = -errno;

		free(j);
		return err;
	}
	/* V9FS_MAGIC: the guest's view of the host's OUT directory. */
	j->sync = sync && !(fstatfs(j->fd, &sf) == 0 && sf.f_type == 0x01021997);
	pthread_mutex_init(&j->lock, NULL);
	*jp = j;
	return 0;
}

int journal_batch_open(struct journal **jp, struct journal *parent)
{
	struct journal *j = calloc(1, sizeof(*j));

	if (!j)
		return -ENOMEM;
	j->fd = -1;
	j->parent = parent;
	*jp = j;
	return 0;
}

/* One write(2) (O_APPEND): a crash leaves at most a cut last line. */
static int append(struct journal *j, const char *lines, size_t len)
{
	int ret = 0;

	if (!len)
		return 0;
	pthread_mutex_lock(&j->lock);
	if (write(j->fd, lines, len) != (ssize_t)len)
		ret = errno ? -errno : -EIO;
	else if (j->sync && fdatasync(j->fd))
		ret = -errno;
	pthread_mutex_unlock(&j->lock);
	return ret;
}

int journal_flush(struct journal *j)
{
	int ret;

	if (!j->parent)
		return 0;
	ret = append(j->parent, j->buf, j->len);
	j->len = 0;
	return ret;
}

/* @line (@len bytes, its newline included) appended to @j, or held by a batch. */
static int put_line(struct journal *j, const char *line, size_t len)
{
	if (!j->parent)
		return append(j, line, len);
	if (j->len + len > j->cap) {
		size_t cap = (j->len + len) * 2;
		char *b = realloc(j->buf, cap);

		if (!b) {
			/* Out of memory: the batch first, so the order stays. */
			int ret = journal_flush(j);

			return ret ? ret : append(j->parent, line, len);
		}
		j->buf = b;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, line, len);
	j->len += len;
	return 0;
}

int journal_put(struct journal *j, struct jo *b)
{
	char *line = NULL;
	size_t len;
	int ret = b->err;

	if (ret || !b->o)
		goto out;
	ret = -ENOMEM;
	line = malloc(JOURNAL_RECORD_MAX + 1);
	if (!line)
		goto out;
	/* One dump when the record fits, as nearly all do; else cut it and dump again. */
	len = json_dumpb(b->o, line, JOURNAL_RECORD_MAX, JJSON_DUMP);
	if (!len)
		goto out;
	if (len > JOURNAL_RECORD_MAX) {
		char *big;

		len = jcut_fit(b->o, JOURNAL_RECORD_MAX);
		big = realloc(line, len + 1);
		if (!big)
			goto out;
		line = big;
		if (json_dumpb(b->o, line, len, JJSON_DUMP) != len)
			goto out;
	}
	line[len] = '\n';
	ret = put_line(j, line, len + 1);
out:
	free(line);
	json_decref(b->o);
	b->o = NULL;
	return ret;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	if (j->parent) {
		journal_flush(j);
		free(j->buf);
		free(j);
		return;
	}
	fsync(j->fd);
	close(j->fd);
	pthread_mutex_destroy(&j->lock);
	free(j);
}
