/* exec's syscall selection: the --syscalls parser and the SCMP_ACT_TRACE filter. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runner/exec/exec_sys.h"

/* No exit stop follows them: an armed fail-nth could not be read back and cleared. */
const char *const exec_sys_never[] = {
	"exit", "exit_group", "rt_sigreturn", "restart_syscall", NULL,
};

const char *const exec_sys_noisy[] = {
	/* The loader's and malloc's: dozens before main, failing them only kills ld.so. */
	"brk", "mmap", "munmap", "mprotect", "madvise", "mremap",
	/* Replaces the image; the sweep counts from CMD's own exec. Selectable. */
	"execve", "execveat",
	/* Another fault type's (fail_futex), and hot in every threaded program. */
	"futex",
	/* Queries and process bookkeeping that allocate nothing. */
	"getpid", "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid",
	"getpgrp", "getpgid", "getsid", "getresuid", "getresgid", "clock_gettime",
	"clock_getres", "gettimeofday", "time", "sched_yield", "arch_prctl",
	"set_tid_address", "set_robust_list", "rseq", "rt_sigprocmask", "rt_sigaction",
	"sigaltstack", "lseek", "nanosleep", "clock_nanosleep",
	NULL,
};

static void set_bit(struct exec_sysset *s, int nr, bool on)
{
	uint64_t m = 1ull << (nr % 64);

	if (nr < 0 || nr >= EXEC_NR_MAX)
		return;
	if (on && !(s->bits[nr / 64] & m)) {
		s->bits[nr / 64] |= m;
		s->n++;
	} else if (!on && (s->bits[nr / 64] & m)) {
		s->bits[nr / 64] &= ~m;
		s->n--;
	}
}

bool exec_sys_has(const struct exec_sysset *s, int nr)
{
	return nr >= 0 && nr < EXEC_NR_MAX && (s->bits[nr / 64] >> (nr % 64) & 1);
}

const char *exec_sys_name(int nr, char *buf, size_t len)
{
	char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

	if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "sys_%d", nr);
	free(n);
	return buf;
}

static bool in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return true;
	return false;
}

/* Every native syscall libseccomp can name, minus those that never return (and @minus). */
static void add_all(struct exec_sysset *s, const char *const *minus)
{
	char name[64];
	int nr;

	for (nr = 0; nr < EXEC_NR_MAX; nr++) {
		char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		if (!n)
			continue;
		snprintf(name, sizeof(name), "%s", n);
		free(n);
		if (in_list(exec_sys_never, name) || (minus && in_list(minus, name)))
			continue;
		set_bit(s, nr, true);
	}
}

static int resolve(const char *item, int *nr)
{
	char *end;
	long v;

	if (*item >= '0' && *item <= '9') {
		v = strtol(item, &end, 10);
		if (*end || v >= EXEC_NR_MAX)
			return -EINVAL;
		*nr = v;
		return 0;
	}
	*nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, item);
	return *nr < 0 ? -EINVAL : 0;
}

int exec_sys_parse(const char *list, struct exec_sysset *s, char *why, size_t len)
{
	char *copy = NULL, *item, *save = NULL, name[64];
	bool first = true;
	int err = 0, nr;

	memset(s, 0, sizeof(*s));
	if (!list || !*list) {
		add_all(s, exec_sys_noisy);
		return 0;
	}
	copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		bool del = *item == '-';

		if (del)
			item++;
		if (first && del)
			add_all(s, exec_sys_noisy);
		first = false;
		if (!strcmp(item, "default")) {
			if (del)
				goto bad;
			add_all(s, exec_sys_noisy);
			continue;
		}
		if (!strcmp(item, "all")) {
			if (del)
				goto bad;
			add_all(s, NULL);
			continue;
		}
		if (!*item || resolve(item, &nr))
			goto bad;
		exec_sys_name(nr, name, sizeof(name));
		if (!del && in_list(exec_sys_never, name)) {
			snprintf(why, len, "'%s' never returns: there is no exit stop to disarm "
				 "fail-nth at", item);
			err = -EINVAL;
			goto out;
		}
		set_bit(s, nr, !del);
	}
	if (first || !s->n) {
		snprintf(why, len, "'%s' selects no syscall", list);
		err = -EINVAL;
	}
	goto out;
bad:
	snprintf(why, len, "unknown syscall '%s' (want names such as sendmsg, numbers, "
		 "'default', 'all', or -NAME to leave one out)", item);
	err = -EINVAL;
out:
	free(copy);
	return err;
}

int exec_sys_filter(const struct exec_sysset *s, void **insns, unsigned short *n)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	void *buf = NULL;
	off_t size;
	int fd = -1, nr, err = 0;

	if (!ctx)
		return -ENOMEM;
	/* Other architectures' syscalls (int 0x80) run untraced, they are not killed. */
	err = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	/* A binary tree: an untraced syscall pays ~log2(n) comparisons, not n. */
	if (!err)
		err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (nr = 0; !err && nr < EXEC_NR_MAX; nr++)
		if (exec_sys_has(s, nr))
			err = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 0);
	if (err)
		goto out;
	/* libseccomp 2.5 exports to a descriptor only. */
	fd = memfd_create("faultsweep-bpf", MFD_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	err = seccomp_export_bpf(ctx, fd);
	if (err)
		goto out;
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % 8 || size / 8 > 0xffff) {
		err = -E2BIG;
		goto out;
	}
	buf = malloc(size);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	if (pread(fd, buf, size, 0) != size) {
		err = -EIO;
		goto out;
	}
	*insns = buf;
	*n = size / 8;
	buf = NULL;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return err;
}
