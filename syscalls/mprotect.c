/* mprotect(2) on the middle page of a three-page mapping: splits one VMA into three. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness/harness.h"

static int setup(struct fs_ctx *c)
{
	size_t pg = sysconf(_SC_PAGESIZE);

	c->len[0] = 3 * pg;
	c->ptr[0] = SAFE_PTR(mmap(NULL, c->len[0], PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	/* Touched pages give the VMA an anon_vma, so the split must clone it too. */
	memset(c->ptr[0], 1, c->len[0]);
	c->val[0] = pg;
	return 0;
}

static long call(struct fs_ctx *c)
{
	return mprotect((char *)c->ptr[0] + c->val[0], c->val[0], PROT_READ);
}

static void teardown(struct fs_ctx *c)
{
	if (c->ptr[0])
		munmap(c->ptr[0], c->len[0]);
}

FS_HARNESS(mprotect_split) = {
	.area     = "mm",
	.setup    = setup,
	.call     = call,
	.teardown = teardown,
};
