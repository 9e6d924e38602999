/* Harness helpers that do not return on failure: they end the step as BROK or CONF. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runner/harness.h"
#include "runner/worker.h"

void fs_broken(const char *file, int line, int err, const char *fmt, ...)
{
	char what[120];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	wrk_abandon(WRK_ABANDON_BROK, file, line, err, what);
}

void fs_conf(const char *file, int line, const char *why)
{
	wrk_abandon(WRK_ABANDON_CONF, file, line, 0, why);
}

char *fs_path(struct fs_ctx *c, int i, const char *name)
{
	char tmp[sizeof(c->path[i])];

	/* @name may be another of c->path: build aside, then copy. */
	snprintf(tmp, sizeof(tmp), "%s/%s", c->dir, name);
	memcpy(c->path[i], tmp, sizeof(tmp));
	return c->path[i];
}

void fs_write_file(const char *path, const char *text)
{
	int fd = SAFE(open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
	size_t len = strlen(text);

	if (write(fd, text, len) != (ssize_t)len)
		fs_broken(__FILE__, __LINE__, errno, "write %s", path);
	close(fd);
}
