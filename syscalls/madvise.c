/* madvise(2) on a populated anonymous range: drop, deactivate, and split off a page. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness/harness.h"

#define MADV_PAGES 8

static int setup(struct fs_ctx *c)
{
	c->val[0] = sysconf(_SC_PAGESIZE);
	c->len[0] = MADV_PAGES * c->val[0];
	c->ptr[0] = SAFE_PTR(mmap(NULL, c->len[0], PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	memset(c->ptr[0], 1, c->len[0]);
	return 0;
}

static long call_dontneed(struct fs_ctx *c)
{
	return madvise(c->ptr[0], c->len[0], MADV_DONTNEED);
}

static long call_cold(struct fs_ctx *c)
{
	return madvise(c->ptr[0], c->len[0], MADV_COLD);
}

/* A VM_DONTCOPY range in the middle: the VMA is split in three. */
static long call_dontfork(struct fs_ctx *c)
{
	return madvise((char *)c->ptr[0] + c->val[0], c->val[0], MADV_DONTFORK);
}

static void teardown(struct fs_ctx *c)
{
	if (c->ptr[0])
		munmap(c->ptr[0], c->len[0]);
}

/* madvise(2) reports a failed allocation as EAGAIN ("a kernel resource was ... unavailable"). */
FS_HARNESS(madvise_dontneed) = {
	.area     = "mm",
	.setup    = setup,
	.call     = call_dontneed,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EAGAIN),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_ADVISE_SYSCALLS"),
};

FS_HARNESS(madvise_cold) = {
	.area     = "mm",
	.setup    = setup,
	.call     = call_cold,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EAGAIN),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_ADVISE_SYSCALLS"),
};

FS_HARNESS(madvise_dontfork_split) = {
	.area     = "mm",
	.setup    = setup,
	.call     = call_dontfork,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EAGAIN),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_ADVISE_SYSCALLS"),
};
