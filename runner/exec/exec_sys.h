/*
 * exec's syscall selection: the --syscalls LIST parser, syscall names, and
 * the seccomp filter (a BPF program) that traps the selected ones.
 */
#ifndef FS_EXEC_SYS_H
#define FS_EXEC_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXEC_NR_MAX 1024

/* A set of native syscall numbers. */
struct exec_sysset {
	uint64_t bits[EXEC_NR_MAX / 64];
	unsigned n;             /* members */
};

/*
 * Left out of the default set (docs/cli.md says why): syscalls that never
 * return (no exit stop to disarm at: never sweepable), the loader's and
 * malloc's memory management, and calls that allocate nothing or are
 * another fault type's (futex). NULL-terminated.
 */
extern const char *const exec_sys_never[];
extern const char *const exec_sys_noisy[];

/**
 * exec_sys_parse() - parse @list (NULL or "": the default set) into @s.
 * Comma-separated items, applied in order: NAME or a number adds that
 * syscall, -NAME removes it, "default" adds the default set, "all" every
 * syscall that returns. A list whose first item is a removal starts from
 * the default set, else from nothing. Returns 0, or -EINVAL with the item
 * at fault in @why (unknown name, a syscall that never returns, an empty
 * result).
 */
int exec_sys_parse(const char *list, struct exec_sysset *s, char *why, size_t len);

/** exec_sys_has() - whether @nr is in @s. */
bool exec_sys_has(const struct exec_sysset *s, int nr);

/** exec_sys_name() - the native name of @nr ("sys_NNN" when unknown), in @buf. */
const char *exec_sys_name(int nr, char *buf, size_t len);

/**
 * exec_sys_filter() - the BPF program that makes every syscall in @s stop
 * a PTRACE_O_TRACESECCOMP tracer (SCMP_ACT_TRACE) and allows the rest,
 * other architectures' included. @insns is malloc'd (struct sock_filter),
 * @n its length. 0 or -errno.
 */
int exec_sys_filter(const struct exec_sysset *s, void **insns, unsigned short *n);

#endif
