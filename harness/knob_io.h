/*
 * Saving, setting and restoring debugfs knobs, shared by the runner
 * (runner/inject/knobs.c) and every reproducer (reports/repro/repro.c pastes this file
 * into the .c it writes), so both leave the kernel's knobs as they found
 * them in the same way. No dependency beyond libc.
 */
#ifndef FS_KNOB_IO_H
#define FS_KNOB_IO_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FS_KNOB_DBG "/sys/kernel/debug/"

/* A knob changed, with the value to put back. */
struct fs_knob {
	char path[96];
	char orig[32];
	size_t orig_len;
};

/*
 * fs_knob_set() - remember the value of FS_KNOB_DBG/@dir/@name in
 * @tbl[*@n] (at most @max), then write @val. The entry counts before the
 * write, so a signal in between still restores it. 0 or -errno.
 */
static inline int fs_knob_set(struct fs_knob *tbl, volatile sig_atomic_t *n, int max,
			      const char *dir, const char *name, const char *val)
{
	struct fs_knob *k;
	ssize_t len;
	int fd, err;

	if (*n >= max)
		return -ENOSPC;
	k = &tbl[*n];
	snprintf(k->path, sizeof(k->path), FS_KNOB_DBG "%s/%s", dir, name);
	fd = open(k->path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, k->orig, sizeof(k->orig) - 1);
	if (len <= 0) {
		err = len < 0 ? -errno : -EIO;
		close(fd);
		return err;
	}
	k->orig_len = len;
	(*n)++;
	if (write(fd, val, strlen(val)) < 0) {
		err = -errno;
		(*n)--;
		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

/* fs_knob_restore() - put every knob back, newest first. Async-signal-safe. */
static inline void fs_knob_restore(const struct fs_knob *tbl, volatile sig_atomic_t *n)
{
	int i = *n;

	*n = 0;
	while (i-- > 0) {
		int fd = open(tbl[i].path, O_WRONLY | O_CLOEXEC);

		if (fd < 0)
			continue;
		if (write(fd, tbl[i].orig, tbl[i].orig_len) < 0) {
			/* nothing more can be done, least of all from a signal handler */
		}
		close(fd);
	}
}

#endif
