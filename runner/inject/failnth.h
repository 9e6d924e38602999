/* fail-nth of the calling thread, and the check that this kernel has fault injection at all. */
#ifndef FS_FAILNTH_H
#define FS_FAILNTH_H

#include <stdbool.h>
#include <stddef.h>

/** failnth_open() - open /proc/thread-self/fail-nth read-write; fd or -errno. */
int failnth_open(void);

/** failnth_arm() - make the @nth fault point of this thread fail. 0 or -errno. */
int failnth_arm(int fd, unsigned nth);

/**
 * failnth_disarm() - read fail-nth back, then write 0. Returns 1 when the
 * fault fired (read back 0), 0 when it did not (@remaining, if not NULL, gets
 * the count left), -1 when it could not be read. Always leaves 0 behind.
 */
int failnth_disarm(int fd, unsigned *remaining);

/**
 * failnth_disarm_site() - failnth_disarm(), and when the fault fired, read
 * the fail-nth-site file @site_fd (-1: none) into @site (@len bytes, NUL
 * terminated, cut after its last whole line; "" when unreadable). It is read
 * between the read-back and the write of 0: the fault has fired, so reading
 * cannot fire another, and the write would clear it.
 */
int failnth_disarm_site(int fd, unsigned *remaining, int site_fd, char *site, size_t len);

/**
 * failnth_site_open() - open /proc/thread-self/fail-nth-site (a kernel with
 * kernel/patches/0001-*.patch); fd or -errno (-ENOENT on other kernels).
 */
int failnth_site_open(void);

/** failnth_has_site() - whether this kernel records the faulted site per task. */
bool failnth_has_site(void);

/**
 * failnth_scope_module() - make the calling thread's fail-nth count only the
 * fault points whose call stack passes through the code of module @name
 * (core or init text, matched by name at each point, so across unload and
 * reload), or every point again when @name is NULL or "". Writes
 * /proc/thread-self/fail-nth-module (kernel/patches/0003-*.patch); writing
 * fail-nth does not clear it, a forked child starts unscoped. '-' in @name
 * becomes '_', as the kernel names modules. Returns 0, -ENOENT when the
 * kernel has no module scope, -EINVAL for a name of 56 or more characters
 * (MODULE_NAME_LEN), or another -errno.
 */
int failnth_scope_module(const char *name);

/** failnth_has_module_scope() - whether this kernel has fail-nth-module. */
bool failnth_has_module_scope(void);

/* What the running kernel adds to stock fail-nth (kernel/patches/). */
enum failnth_feature {
	FAILNTH_SITE = 1 << 0,		/* fail-nth-site (0001) */
	FAILNTH_MODULE = 1 << 1,	/* fail-nth-module (0003) */
	FAILNTH_DEBUG_EXCLUDED = 1 << 2, /* debug bookkeeping is no fault point (0002, 0004) */
};

/**
 * failnth_features() - the failnth_feature bits of the running kernel. The
 * first two are files in /proc/thread-self; the exclusion of debugging
 * allocations has no file, and is known by its function, fault_inject_disable,
 * in /proc/kallsyms (read only on a kernel with fail-nth-site).
 */
unsigned failnth_features(void);

/** failnth_features_text() - "fail-nth-site yes, fail-nth-module no, ..." for @f. */
void failnth_features_text(unsigned f, char *buf, size_t len);

/**
 * failnth_check_env() - whether this process can sweep: root, fail-nth,
 * debugfs with failslab and fail_page_alloc. On failure writes one message
 * naming what is missing (and the CONFIG_ options, from /proc/config.gz
 * when the kernel has it) into @why.
 */
int failnth_check_env(char *why, size_t len);

#endif
