/* timerfd_create(2) and timerfd_settime(2), relative and absolute with TFD_TIMER_CANCEL_ON_SET. */
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "harness/harness.h"

/* An hour away: armed, never expiring during the step. */
static struct itimerspec its = {
	.it_interval = { .tv_sec = 1 },
	.it_value    = { .tv_sec = 3600 },
};
static struct itimerspec abs_its;

static long call_create(struct fs_ctx *c)
{
	c->fd[0] = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	return c->fd[0];
}

static int setup_mono(struct fs_ctx *c)
{
	c->fd[0] = SAFE(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	return 0;
}

static long call_settime(struct fs_ctx *c)
{
	return timerfd_settime(c->fd[0], 0, &its, NULL);
}

/* CANCEL_ON_SET puts the timer on the clock-was-set list: a different path. */
static int setup_real(struct fs_ctx *c)
{
	c->fd[0] = SAFE(timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC));
	SAFE(clock_gettime(CLOCK_REALTIME, &abs_its.it_value));
	abs_its.it_value.tv_sec += 3600;
	return 0;
}

static long call_settime_cancel(struct fs_ctx *c)
{
	return timerfd_settime(c->fd[0], TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET,
			       &abs_its, NULL);
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(timerfd_create) = {
	.area     = "fd",
	.call     = call_create,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_TIMERFD"),
};

FS_HARNESS(timerfd_settime) = {
	.area     = "fd",
	.setup    = setup_mono,
	.call     = call_settime,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_TIMERFD"),
};

FS_HARNESS(timerfd_settime_cancel_on_set) = {
	.area     = "fd",
	.setup    = setup_real,
	.call     = call_settime_cancel,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_TIMERFD"),
};
