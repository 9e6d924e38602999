/* mmap(2): an anonymous private mapping and a MAP_SHARED mapping of a tmpfs file. */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness/harness.h"

#define MAP_PAGES 4

static size_t map_len(void)
{
	return MAP_PAGES * (size_t)sysconf(_SC_PAGESIZE);
}

/* The retry oracle maps a second time: each mapping gets its own slot. */
static long keep(struct fs_ctx *c, void *p)
{
	int i = c->ptr[0] ? 1 : 0;

	if (p == MAP_FAILED)
		return -1;
	c->ptr[i] = p;
	c->len[i] = map_len();
	return 0;
}

static long call_anon(struct fs_ctx *c)
{
	return keep(c, mmap(NULL, map_len(), PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

static int setup_file(struct fs_ctx *c)
{
	c->fd[0] = SAFE(open(fs_path(c, 0, "mapped"), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
	SAFE(ftruncate(c->fd[0], map_len()));
	return 0;
}

static long call_file(struct fs_ctx *c)
{
	return keep(c, mmap(NULL, map_len(), PROT_READ | PROT_WRITE, MAP_SHARED,
			    c->fd[0], 0));
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->ptr[i])
			munmap(c->ptr[i], c->len[i]);
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(mmap_anon) = {
	.area     = "mm",
	.call     = call_anon,
	.teardown = teardown,
};

FS_HARNESS(mmap_shared_file) = {
	.area     = "mm",
	.setup    = setup_file,
	.call     = call_file,
	.teardown = teardown,
};
