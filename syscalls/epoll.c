/* epoll_create1(2), EPOLL_CTL_ADD of an eventfd and of an epoll, epoll_wait(2) with a ready fd. */
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "harness/harness.h"

static struct epoll_event ev = { .events = EPOLLIN };

static long call_create(struct fs_ctx *c)
{
	c->fd[0] = epoll_create1(EPOLL_CLOEXEC);
	return c->fd[0];
}

/* fd[0]: the epoll instance; fd[1]: what gets added to it. */
static int setup_eventfd(struct fs_ctx *c)
{
	c->fd[0] = SAFE(epoll_create1(EPOLL_CLOEXEC));
	c->fd[1] = SAFE(eventfd(0, EFD_CLOEXEC));
	return 0;
}

/* Adding one epoll to another also runs the loop and path checks. */
static int setup_nested(struct fs_ctx *c)
{
	c->fd[0] = SAFE(epoll_create1(EPOLL_CLOEXEC));
	c->fd[1] = SAFE(epoll_create1(EPOLL_CLOEXEC));
	return 0;
}

static long call_add(struct fs_ctx *c)
{
	return epoll_ctl(c->fd[0], EPOLL_CTL_ADD, c->fd[1], &ev);
}

/* Level-triggered, so a failed attempt leaves the fd ready for the retry. */
static int setup_wait(struct fs_ctx *c)
{
	uint64_t one = 1;

	setup_eventfd(c);
	if (write(c->fd[1], &one, sizeof(one)) != sizeof(one))
		fs_broken(__FILE__, __LINE__, errno, "write eventfd");
	SAFE(epoll_ctl(c->fd[0], EPOLL_CTL_ADD, c->fd[1], &ev));
	return 0;
}

/* Timeout 0: never sleeps, even if the ready event went missing. */
static long call_wait(struct fs_ctx *c)
{
	return epoll_wait(c->fd[0], (struct epoll_event *)c->buf, 4, 0);
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

FS_HARNESS(epoll_create1) = {
	.area     = "fd",
	.call     = call_create,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_EPOLL"),
};

/* ENOSPC: epoll_ctl(2) documents it for the max_user_watches limit. */
FS_HARNESS(epoll_ctl_add) = {
	.area     = "fd",
	.setup    = setup_eventfd,
	.call     = call_add,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_EPOLL", "CONFIG_EVENTFD"),
};

FS_HARNESS(epoll_ctl_add_nested) = {
	.area     = "fd",
	.setup    = setup_nested,
	.call     = call_add,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOSPC),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_EPOLL"),
};

FS_HARNESS(epoll_wait) = {
	.area     = "fd",
	.setup    = setup_wait,
	.call     = call_wait,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_EPOLL", "CONFIG_EVENTFD"),
};
