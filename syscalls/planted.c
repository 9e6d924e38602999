/*
 * Hidden self-test cases on the planted-bug modules (tests/modules/planted):
 * write(2) to their /proc file and finit_module(2) of the .ko, so VM tests
 * can prove that a sweep finds every planted bug in fs_planted and nothing
 * in fs_planted_clean. The .ko paths come from FS_PLANTED_KO and
 * FS_PLANTED_CLEAN_KO; the reproducer VM test (tests/vm/repro.sh) points
 * FS_PLANTED_KO at fs_planted_clean.ko to play the fixed kernel.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/harness.h"

/* Opens the .ko named by $@env, or CONF when it is unset or missing. */
static int open_ko(struct fs_ctx *c, const char *env)
{
	const char *ko = getenv(env);
	int fd;

	if (!ko || !*ko) {
		snprintf(c->buf, sizeof(c->buf), "%s is not set (path of the built module)", env);
		FS_CONF(c->buf);
	}
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		snprintf(c->buf, sizeof(c->buf), "%s=%s: no such file (build target planted_modules)",
			 env, ko);
		FS_CONF(c->buf);
	}
	if (fd < 0)
		fs_broken(__FILE__, __LINE__, errno, "open %s", ko);
	return fd;
}

/* Unloads @name if it is loaded; a module that will not go is BROK. */
static void unload(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK) && errno != ENOENT)
		fs_broken(__FILE__, __LINE__, errno, "unloading a leftover %s", name);
}

/*
 * The /proc file a module makes is named after the module, so it is taken
 * from the .ko's file name when $@env is set: FS_PLANTED_KO may name a
 * fixed build (fs_planted_clean.ko, say), as a bisect's good kernel would
 * carry, and planted_write then writes to that module's file.
 */
static void proc_name(struct fs_ctx *c, const char *fallback, const char *env)
{
	const char *ko = getenv(env), *base = ko ? strrchr(ko, '/') : NULL;
	size_t len;

	base = base ? base + 1 : ko;
	if (!base || !*base) {
		snprintf(c->path[0], sizeof(c->path[0]), "/proc/%s", fallback);
		return;
	}
	len = strlen(base);
	if (len > 3 && !strcmp(base + len - 3, ".ko"))
		len -= 3;
	snprintf(c->path[0], sizeof(c->path[0]), "/proc/%.*s", (int)len, base);
}

/* Loads the module unless its /proc file is there, then opens the file. */
static void open_proc(struct fs_ctx *c, const char *fallback, const char *env)
{
	proc_name(c, fallback, env);
	if (access(c->path[0], F_OK)) {
		int fd = open_ko(c, env);

		if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
			fs_broken(__FILE__, __LINE__, errno, "finit_module $%s", env);
		close(fd);
	}
	c->fd[0] = SAFE(open(c->path[0], O_WRONLY | O_CLOEXEC));
}

static int setup_write(struct fs_ctx *c)
{
	open_proc(c, "fs_planted", "FS_PLANTED_KO");
	return 0;
}

static int setup_clean_write(struct fs_ctx *c)
{
	open_proc(c, "fs_planted_clean", "FS_PLANTED_CLEAN_KO");
	return 0;
}

static long call_write(struct fs_ctx *c)
{
	return write(c->fd[0], "x", 1);
}

static void teardown_write(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

static int setup_load(struct fs_ctx *c)
{
	unload("fs_planted");
	c->fd[0] = open_ko(c, "FS_PLANTED_KO");
	return 0;
}

static int setup_clean_load(struct fs_ctx *c)
{
	unload("fs_planted_clean");
	c->fd[0] = open_ko(c, "FS_PLANTED_CLEAN_KO");
	return 0;
}

static long call_load(struct fs_ctx *c)
{
	return syscall(SYS_finit_module, c->fd[0], "", 0);
}

/*
 * Whatever loaded (the call or the retry oracle's second call) must go, so
 * the next step's load starts from nothing. A module that does not unload
 * is left for the next setup to report.
 */
static void teardown_load(struct fs_ctx *c)
{
	syscall(SYS_delete_module, "fs_planted", O_NONBLOCK);
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

static void teardown_clean_load(struct fs_ctx *c)
{
	syscall(SYS_delete_module, "fs_planted_clean", O_NONBLOCK);
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(planted_write) = {
	.area = "selftest", .setup = setup_write, .call = call_write,
	.teardown = teardown_write, .flags = FS_HIDDEN,
};

FS_HARNESS(planted_clean_write) = {
	.area = "selftest", .setup = setup_clean_write, .call = call_write,
	.teardown = teardown_write, .flags = FS_HIDDEN,
};

FS_HARNESS(planted_load) = {
	.area = "selftest", .setup = setup_load, .call = call_load,
	.teardown = teardown_load, .flags = FS_HIDDEN | FS_SERIAL,
};

FS_HARNESS(planted_clean_load) = {
	.area = "selftest", .setup = setup_clean_load, .call = call_load,
	.teardown = teardown_clean_load, .flags = FS_HIDDEN | FS_SERIAL,
};
