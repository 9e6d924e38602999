/*
 * Helpers harnesses call, shared by the runner and every reproducer
 * (reports/repro/repro.c pastes this file into the .c it writes, after
 * harness/harness.h): they need nothing but the harness API.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

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

void fs_close_fds(struct fs_ctx *c)
{
	for (int i = 0; i < FS_CTX_FDS; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}
