/* mremap(2) growing a populated mapping that cannot grow in place, so MREMAP_MAYMOVE moves it. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness/harness.h"

/*
 * ptr[0]: three pages reserved PROT_NONE, the first two remapped read-write;
 * the PROT_NONE page is a separate VMA right after the two, so the kernel
 * must move them to grow.
 */
static int setup(struct fs_ctx *c)
{
	size_t pg = sysconf(_SC_PAGESIZE);

	c->len[0] = 3 * pg;
	c->ptr[0] = SAFE_PTR(mmap(NULL, c->len[0], PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	SAFE_PTR(mmap(c->ptr[0], 2 * pg, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	memset(c->ptr[0], 1, 2 * pg);
	c->val[0] = pg;
	return 0;
}

static long call(struct fs_ctx *c)
{
	void *p = mremap(c->ptr[0], 2 * c->val[0], 4 * c->val[0], MREMAP_MAYMOVE);

	if (p == MAP_FAILED)
		return -1;
	c->ptr[1] = p;
	c->len[1] = 4 * c->val[0];
	return 0;
}

static void teardown(struct fs_ctx *c)
{
	/* Unmapping ptr[0] whole is fine after a move left part of it empty. */
	for (int i = 0; i < 2; i++)
		if (c->ptr[i])
			munmap(c->ptr[i], c->len[i]);
}

FS_HARNESS(mremap_grow) = {
	.area     = "mm",
	.setup    = setup,
	.call     = call,
	.teardown = teardown,
};
