/*
 * The harness API: one declarative struct per syscall case, registered with
 * FS_HARNESS() into the "fs_harness" section so the runner finds every case
 * linked into the binary (syscalls/ is an OBJECT library; nothing is dropped).
 */
#ifndef FS_HARNESS_H
#define FS_HARNESS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define FS_CTX_FDS   8
#define FS_CTX_VALS  8
#define FS_CTX_PTRS  4
#define FS_CTX_PATHS 4

/**
 * struct fs_ctx - per-step state of a case, reset before every setup.
 * @dir:  the worker's private directory on tmpfs (exists, empty at setup)
 * @fd:   descriptors; -1 when unused. Whatever is still open after teardown
 *        is closed by the runner (after the fd-leak oracle has looked).
 * @val:  scratch integers (ids, keys, lengths), zeroed
 * @ptr:  scratch pointers (mappings, buffers), NULL; teardown releases them
 * @len:  lengths that go with @ptr
 * @path: scratch paths, usually built under @dir with fs_path()
 * @pid:  a child the case made; the runner kills and reaps it after teardown
 * @buf:  scratch buffer
 * @nth:  the N this step arms (0 for the fault-free step); for self-tests
 * @arg:  the harness's @arg (cases made at run time, e.g. module sweeps)
 */
struct fs_ctx {
	char dir[128];
	unsigned nth;
	int fd[FS_CTX_FDS];
	long val[FS_CTX_VALS];
	void *ptr[FS_CTX_PTRS];
	size_t len[FS_CTX_PTRS];
	char path[FS_CTX_PATHS][192];
	pid_t pid;
	const void *arg;
	char buf[4096];
};

enum fs_harness_flags {
	FS_HIDDEN   = 1u << 0,  /* self-test case: not listed, not matched by '*' */
	FS_NO_RETRY = 1u << 1,  /* the retry oracle does not apply (say why in a comment) */
	FS_SERIAL   = 1u << 2,  /* never runs beside another FS_SERIAL case (modules: kernel-wide state) */
	FS_OWN_MM   = 1u << 3,  /* runs in a forked process, not one sharing the worker's memory */
};

/**
 * struct fs_harness - one case.
 * @name:     filled in from FS_HARNESS(id) by the registry; [a-z0-9_]
 * @area:     family shown by `faultsweep list`: fs, fd, net, ipc, mm, process,
 *            io_uring, bpf, keys
 * @setup:    prepares everything the call needs, or NULL. Use SAFE() so a
 *            failure is reported as BROK with file:line and never returns.
 * @call:     makes exactly the syscall under test and returns its result
 *            (-1 with errno set on failure, as libc does). Resources it
 *            creates go into the ctx so teardown can release them. Called a
 *            second time, without a fault, by the retry oracle.
 * @teardown: releases what setup and call made; must cope with a call that
 *            failed (fds still -1). May be NULL.
 * @errnos:   errnos a failed allocation may legitimately produce besides
 *            ENOMEM, from FS_ERRNOS(), or NULL for ENOMEM alone; anything
 *            else is `unexpected-errno`. Only what the man page documents
 *            for resource shortage (ENOBUFS, EAGAIN, ENOSPC...): ENFILE,
 *            EMFILE, EINVAL or EIO for a failed allocation are findings.
 *            EFAULT is added by the runner when usercopy faults are on.
 * @needs:    kernel options the case needs, from FS_NEEDS_KCONFIG(); a
 *            kernel without one reports CONF with the option's name
 * @arg:      handed to setup/call/teardown as ctx->arg (cases made at run
 *            time by fs_harness_add(), e.g. `faultsweep module`)
 * @scope_module: count only fault points whose stack passes through this
 *            module (fail-nth-module, kernel/patches/0003); NULL: all. On a
 *            kernel without the patch the whole call is swept (and the run
 *            journals a note saying so).
 * @stuck:    asked by the supervisor after a worker died or hung mid-step:
 *            true (with @why) when the kernel is left in a state no later
 *            step can recover from (a module stuck half-loaded), so the run
 *            stops for a reboot (exit 7; `run --vm` reboots and resumes).
 */
struct fs_harness {
	const char *name;
	const char *area;
	int (*setup)(struct fs_ctx *c);
	long (*call)(struct fs_ctx *c);
	void (*teardown)(struct fs_ctx *c);
	const int *errnos;
	const char *const *needs;
	unsigned flags;
	const char *file;
	const void *arg;
	const char *scope_module;
	bool (*stuck)(const struct fs_harness *h, char *why, size_t len);
};

#define FS_ERRNOS(...) ((const int[]){ __VA_ARGS__, 0 })
#define FS_NEEDS_KCONFIG(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Registration record, one per case, in section "fs_harness". */
struct fs_reg {
	const char *name;
	const char *file;
	struct fs_harness *h;
};

/*
 * FS_HARNESS(id) = { .area = "net", .call = call, ... };
 * declares the case and registers it under the name "id".
 */
#define FS_HARNESS(id)                                                          \
	static struct fs_harness fs_h_##id;                                     \
	static const struct fs_reg fs_r_##id                                    \
		__attribute__((used, section("fs_harness"), aligned(sizeof(void *)))) = \
		{ #id, __FILE__, &fs_h_##id };                                  \
	static struct fs_harness fs_h_##id

/**
 * fs_broken() - report a setup failure that is not the kernel's fault (BROK,
 * with file:line and errno) and abandon the step. Does not return.
 */
__attribute__((noreturn, format(printf, 4, 5)))
void fs_broken(const char *file, int line, int err, const char *fmt, ...);

/**
 * fs_conf() - the case cannot run here (missing feature); reported as CONF
 * with @why. Does not return.
 */
__attribute__((noreturn))
void fs_conf(const char *file, int line, const char *why);

/* SAFE(expr): expr returns < 0 with errno on failure (any libc syscall wrapper). */
#define SAFE(expr) ({                                                           \
	long __fs_r = (long)(expr);                                             \
	if (__fs_r < 0)                                                         \
		fs_broken(__FILE__, __LINE__, errno, "%s", #expr);              \
	__fs_r;                                                                 \
})

/* SAFE_PTR(expr): expr returns NULL or MAP_FAILED on failure. */
#define SAFE_PTR(expr) ({                                                       \
	void *__fs_p = (void *)(expr);                                          \
	if (!__fs_p || __fs_p == (void *)-1)                                    \
		fs_broken(__FILE__, __LINE__, errno, "%s", #expr);              \
	__fs_p;                                                                 \
})

#define FS_CONF(why) fs_conf(__FILE__, __LINE__, (why))

/**
 * fs_path() - build "<c->dir>/<name>" into c->path[i] and return it.
 */
char *fs_path(struct fs_ctx *c, int i, const char *name);

/**
 * fs_write_file() - create @path with @text (SAFE: does not return on failure).
 */
void fs_write_file(const char *path, const char *text);

/**
 * fs_close_fds() - a teardown for cases that hold only descriptors: close
 * every c->fd that is open.
 */
void fs_close_fds(struct fs_ctx *c);

/* Registry (harness/registry.c). */
size_t fs_harness_count(void);
const struct fs_harness *fs_harness_at(size_t i);
const struct fs_harness *fs_harness_find(const char *name);

/**
 * fs_harness_add() - register a case made at run time (@h->name and
 * @h->file set by the caller, @h lives as long as the process). Must be
 * called before the zygote starts, so workers inherit it. 0 or -EEXIST /
 * -ENOMEM.
 */
int fs_harness_add(struct fs_harness *h);

#endif
