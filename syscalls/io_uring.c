/* io_uring_setup(2) of a small ring, and io_uring_enter(2) submitting one NOP from the SQ ring. */
#include <fcntl.h>
#include <linux/io_uring.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/harness.h"

#define RING_ENTRIES 8

/* kernel.io_uring_disabled=2 refuses everyone; 1 still lets root in. */
static void need_io_uring(void)
{
	int fd = open("/proc/sys/kernel/io_uring_disabled", O_RDONLY | O_CLOEXEC);
	char v;

	if (fd < 0)
		return;
	if (read(fd, &v, 1) == 1 && v == '2')
		FS_CONF("io_uring disabled by kernel.io_uring_disabled=2");
	close(fd);
}

static int setup_setup(struct fs_ctx *c)
{
	need_io_uring();
	return 0;
}

static long call_setup(struct fs_ctx *c)
{
	struct io_uring_params p;
	int i = c->fd[0] < 0 ? 0 : 1;

	memset(&p, 0, sizeof(p));
	c->fd[i] = syscall(SYS_io_uring_setup, RING_ENTRIES, &p);
	return c->fd[i];
}

/*
 * ptr[0]: the SQ ring, ptr[1]: the SQE array. One NOP sits in SQE 0 and
 * the tail is advanced past it, so io_uring_enter() has exactly it to
 * submit. A submission that fails to allocate its request leaves the SQE
 * unconsumed (EAGAIN), so the retry submits the same NOP.
 */
static int setup_enter(struct fs_ctx *c)
{
	struct io_uring_params p;
	struct io_uring_sqe *sqe;
	unsigned *tail, *array, mask;
	char *sq;

	need_io_uring();
	memset(&p, 0, sizeof(p));
	c->fd[0] = SAFE(syscall(SYS_io_uring_setup, RING_ENTRIES, &p));
	c->len[0] = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	c->ptr[0] = SAFE_PTR(mmap(NULL, c->len[0], PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_POPULATE, c->fd[0], IORING_OFF_SQ_RING));
	c->len[1] = p.sq_entries * sizeof(struct io_uring_sqe);
	c->ptr[1] = SAFE_PTR(mmap(NULL, c->len[1], PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_POPULATE, c->fd[0], IORING_OFF_SQES));

	sqe = c->ptr[1];
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_NOP;
	sqe->user_data = 1;

	sq = c->ptr[0];
	tail = (unsigned *)(sq + p.sq_off.tail);
	array = (unsigned *)(sq + p.sq_off.array);
	mask = *(unsigned *)(sq + p.sq_off.ring_mask);
	array[*tail & mask] = 0;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	return 0;
}

static long call_enter(struct fs_ctx *c)
{
	return syscall(SYS_io_uring_enter, c->fd[0], 1, 0, 0, NULL, 0);
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++) {
		if (c->ptr[i])
			munmap(c->ptr[i], c->len[i]);
		if (c->fd[i] >= 0)
			close(c->fd[i]);
	}
}

FS_HARNESS(io_uring_setup) = {
	.area     = "io_uring",
	.setup    = setup_setup,
	.call     = call_setup,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_IO_URING"),
};

/* io_uring_enter(2): EAGAIN when "the kernel was unable to allocate memory for the request". */
FS_HARNESS(io_uring_enter) = {
	.area     = "io_uring",
	.setup    = setup_enter,
	.call     = call_enter,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EAGAIN),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_IO_URING"),
};
