/* userfaultfd(2) itself, and UFFDIO_REGISTER of a mapping's middle page (a VMA split). */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/harness.h"

/* Root may trap kernel-mode faults too, whatever vm.unprivileged_userfaultfd says. */
static long call_create(struct fs_ctx *c)
{
	int i = c->fd[0] < 0 ? 0 : 1;

	c->fd[i] = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	return c->fd[i];
}

static int setup_register(struct fs_ctx *c)
{
	struct uffdio_api api = { .api = UFFD_API };

	c->fd[0] = SAFE(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK));
	SAFE(ioctl(c->fd[0], UFFDIO_API, &api));
	c->val[0] = sysconf(_SC_PAGESIZE);
	c->len[0] = 3 * c->val[0];
	c->ptr[0] = SAFE_PTR(mmap(NULL, c->len[0], PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	return 0;
}

static long call_register(struct fs_ctx *c)
{
	struct uffdio_register reg = {
		.range = {
			.start = (unsigned long)c->ptr[0] + c->val[0],
			.len   = c->val[0],
		},
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	return ioctl(c->fd[0], UFFDIO_REGISTER, &reg);
}

static void teardown(struct fs_ctx *c)
{
	/* Closing the userfaultfd unregisters whatever it had registered. */
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
	if (c->ptr[0])
		munmap(c->ptr[0], c->len[0]);
}

FS_HARNESS(userfaultfd) = {
	.area     = "mm",
	.call     = call_create,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_USERFAULTFD"),
};

FS_HARNESS(userfaultfd_register) = {
	.area     = "mm",
	.setup    = setup_register,
	.call     = call_register,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_USERFAULTFD"),
};
