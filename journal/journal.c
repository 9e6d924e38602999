/* Appending records to the journal, and building them as JSON. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "journal/journal.h"

struct journal {
	int fd;
	bool sync;
	pthread_mutex_t lock;
};

int journal_open(struct journal **jp, const char *path, bool sync)
{
	struct journal *j = calloc(1, sizeof(*j));

	if (!j)
		return -ENOMEM;
	j->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (j->fd < 0) {
		int err = -errno;

		free(j);
		return err;
	}
	{
		struct statfs sf;

		/* V9FS_MAGIC: the guest's view of the host's OUT directory. */
		j->sync = sync && !(fstatfs(j->fd, &sf) == 0 && sf.f_type == 0x01021997);
	}
	pthread_mutex_init(&j->lock, NULL);
	*jp = j;
	return 0;
}

int journal_write_lines(struct journal *j, const char *lines, size_t len)
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

int journal_write(struct journal *j, const char *json)
{
	size_t len = strlen(json);
	char *line = malloc(len + 1);
	int ret = 0;

	if (!line)
		return -ENOMEM;
	memcpy(line, json, len);
	line[len] = '\n';
	pthread_mutex_lock(&j->lock);
	/* One write per record (O_APPEND): a crash leaves at most a cut last line. */
	if (write(j->fd, line, len + 1) != (ssize_t)(len + 1))
		ret = -errno ? -errno : -EIO;
	else if (j->sync && fdatasync(j->fd))
		ret = -errno;
	pthread_mutex_unlock(&j->lock);
	free(line);
	return ret;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	fsync(j->fd);
	close(j->fd);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

size_t json_escape(char *out, size_t len, const char *s)
{
	size_t o = 0;
	const unsigned char *p;

#define PUT(c) do { if (o + 1 < len) out[o] = (c); o++; } while (0)
	PUT('"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': PUT('\\'); PUT('"'); break;
		case '\\': PUT('\\'); PUT('\\'); break;
		case '\n': PUT('\\'); PUT('n'); break;
		case '\t': PUT('\\'); PUT('t'); break;
		case '\r': PUT('\\'); PUT('r'); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				char u[8];

				snprintf(u, sizeof(u), "\\u%04x", *p);
				for (int i = 0; u[i]; i++)
					PUT(u[i]);
			} else {
				PUT(*p);
			}
		}
	}
	PUT('"');
#undef PUT
	if (len)
		out[o < len ? o : len - 1] = 0;
	return o;
}

static void append(struct jb *b, const char *s, size_t n)
{
	/* Keep room for the closing brace. */
	if (b->overflow || b->len + n + 2 > sizeof(b->buf)) {
		b->overflow = true;
		return;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = 0;
}

static void key(struct jb *b, const char *k)
{
	char esc[256];
	size_t n;

	if (!b->first)
		append(b, ",", 1);
	b->first = false;
	n = json_escape(esc, sizeof(esc), k);
	append(b, esc, n < sizeof(esc) ? n : sizeof(esc) - 1);
	append(b, ":", 1);
}

void jb_begin(struct jb *b)
{
	b->len = 0;
	b->first = true;
	b->overflow = false;
	append(b, "{", 1);
}

void jb_str(struct jb *b, const char *k, const char *val)
{
	size_t need = strlen(val) * 6 + 3;
	char *esc = malloc(need);
	size_t n;

	if (!esc) {
		b->overflow = true;
		return;
	}
	key(b, k);
	n = json_escape(esc, need, val);
	append(b, esc, n);
	free(esc);
}

void jb_int(struct jb *b, const char *k, int64_t val)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%" PRId64, val);

	key(b, k);
	append(b, num, n);
}

void jb_uint(struct jb *b, const char *k, uint64_t val)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%" PRIu64, val);

	key(b, k);
	append(b, num, n);
}

void jb_double(struct jb *b, const char *k, double val)
{
	char num[48];
	int n = snprintf(num, sizeof(num), "%.3f", val);

	key(b, k);
	append(b, num, n);
}

void jb_bool(struct jb *b, const char *k, bool val)
{
	key(b, k);
	append(b, val ? "true" : "false", val ? 4 : 5);
}

void jb_raw(struct jb *b, const char *k, const char *val)
{
	key(b, k);
	append(b, val, strlen(val));
}

const char *jb_end(struct jb *b)
{
	if (b->overflow) {
		/* Never emit a cut object: fall back to a marker the reader knows. */
		b->len = 0;
		b->first = true;
		b->overflow = false;
		append(b, "{\"type\":\"overflow\"", 18);
	}
	b->buf[b->len++] = '}';
	b->buf[b->len] = 0;
	return b->buf;
}
