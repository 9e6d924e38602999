/* seccomp(2) SECCOMP_SET_MODE_FILTER with a one-instruction allow-all classic BPF program. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/harness.h"

static struct sock_filter allow_all[] = {
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static struct sock_fprog allow_all_prog = {
	.len    = sizeof(allow_all) / sizeof(allow_all[0]),
	.filter = allow_all,
};

/*
 * A filter cannot be removed, so every successful call leaves one more on
 * the worker; they all allow everything. The kernel refuses (ENOMEM) only
 * past 32768 instructions counting 4 per filter, some 6500 filters, far
 * more steps than a sweep of this call takes.
 */
static int setup(struct fs_ctx *c)
{
	SAFE(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	return 0;
}

static long call(struct fs_ctx *c)
{
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &allow_all_prog);
}

FS_HARNESS(seccomp_filter) = {
	.area     = "process",
	.setup    = setup,
	.call     = call,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SECCOMP_FILTER"),
};
