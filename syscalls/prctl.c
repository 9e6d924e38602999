/* prctl(2) options that allocate: naming an anonymous VMA (a split), a seccomp filter. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "harness/harness.h"

static int setup_anon_name(struct fs_ctx *c)
{
	c->val[0] = sysconf(_SC_PAGESIZE);
	c->len[0] = 3 * c->val[0];
	c->ptr[0] = SAFE_PTR(mmap(NULL, c->len[0], PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	memset(c->ptr[0], 1, c->len[0]);
	return 0;
}

/* The name is copied into a refcounted anon_vma_name; the middle page becomes its own VMA. */
static long call_anon_name(struct fs_ctx *c)
{
	return prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME,
		     (char *)c->ptr[0] + c->val[0], c->val[0], "faultsweep");
}

static void teardown_anon_name(struct fs_ctx *c)
{
	if (c->ptr[0])
		munmap(c->ptr[0], c->len[0]);
}

static struct sock_filter allow_all[] = {
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static struct sock_fprog allow_all_prog = {
	.len    = sizeof(allow_all) / sizeof(allow_all[0]),
	.filter = allow_all,
};

/* Filters stack up on the worker, one per successful call; see syscalls/seccomp.c. */
static int setup_seccomp(struct fs_ctx *c)
{
	SAFE(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	return 0;
}

static long call_seccomp(struct fs_ctx *c)
{
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &allow_all_prog, 0, 0);
}

/*
 * A failed split comes back as EAGAIN, as for madvise(2) (same kernel
 * path), but PR_SET_VMA(2const) documents EINVAL only, so EAGAIN is left
 * to be reported.
 */
FS_HARNESS(prctl_vma_anon_name) = {
	.area     = "mm",
	.setup    = setup_anon_name,
	.call     = call_anon_name,
	.teardown = teardown_anon_name,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_ANON_VMA_NAME"),
};

FS_HARNESS(prctl_seccomp_filter) = {
	.area     = "process",
	.setup    = setup_seccomp,
	.call     = call_seccomp,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_SECCOMP_FILTER"),
};
