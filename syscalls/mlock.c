/* mlock(2) of the middle page of a three-page mapping: a VMA split plus populating the page. */
#include <sys/mman.h>
#include <unistd.h>

#include "harness/harness.h"

static int setup(struct fs_ctx *c)
{
	c->val[0] = sysconf(_SC_PAGESIZE);
	c->len[0] = 3 * c->val[0];
	c->ptr[0] = SAFE_PTR(mmap(NULL, c->len[0], PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	return 0;
}

static long call(struct fs_ctx *c)
{
	return mlock((char *)c->ptr[0] + c->val[0], c->val[0]);
}

static void teardown(struct fs_ctx *c)
{
	if (c->ptr[0]) {
		munlock(c->ptr[0], c->len[0]);
		munmap(c->ptr[0], c->len[0]);
	}
}

/* A page that cannot be populated is reported as EAGAIN (mlock(2)). */
FS_HARNESS(mlock_split) = {
	.area     = "mm",
	.setup    = setup,
	.call     = call,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EAGAIN),
};
