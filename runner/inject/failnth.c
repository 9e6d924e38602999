/* Arming and disarming fail-nth, and telling the user which kernel options are missing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/inject/failnth.h"
#include "runner/inject/kconfig.h"

int failnth_open(void)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int failnth_arm(int fd, unsigned nth)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", nth);

	return pwrite(fd, buf, len, 0) == len ? 0 : -errno;
}

int failnth_site_open(void)
{
	int fd = open("/proc/thread-self/fail-nth-site", O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

bool failnth_has_site(void)
{
	return access("/proc/thread-self/fail-nth-site", R_OK) == 0;
}

/* MODULE_NAME_LEN of a 64-bit kernel: 64 - sizeof(unsigned long). */
#define MODULE_NAME_MAX 56

int failnth_scope_module(const char *name)
{
	char buf[MODULE_NAME_MAX + 1];
	size_t len = name ? strlen(name) : 0;
	ssize_t n;
	size_t i;
	int fd, ret = 0;

	if (len >= MODULE_NAME_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	buf[len++] = '\n';
	fd = open("/proc/thread-self/fail-nth-module", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

bool failnth_has_module_scope(void)
{
	return access("/proc/thread-self/fail-nth-module", W_OK) == 0;
}

static bool kallsyms_has(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], sym[256];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %255s", sym) == 1 && !strcmp(sym, name);
	fclose(f);
	return found;
}

unsigned failnth_features(void)
{
	unsigned f = 0;

	if (failnth_has_site())
		f |= FAILNTH_SITE;
	if (failnth_has_module_scope())
		f |= FAILNTH_MODULE;
	if ((f & FAILNTH_SITE) && kallsyms_has("fault_inject_disable"))
		f |= FAILNTH_DEBUG_EXCLUDED;
	return f;
}

void failnth_features_text(unsigned f, char *buf, size_t len)
{
	snprintf(buf, len, "fail-nth-site %s, fail-nth-module %s, debug allocations excluded %s",
		 f & FAILNTH_SITE ? "yes" : "no", f & FAILNTH_MODULE ? "yes" : "no",
		 f & FAILNTH_DEBUG_EXCLUDED ? "yes" : "no");
}

static void read_site(int site_fd, char *site, size_t len)
{
	ssize_t n = pread(site_fd, site, len - 1, 0);
	char *nl;

	if (n < 0)
		n = 0;
	site[n] = 0;
	if ((size_t)n == len - 1) {
		nl = strrchr(site, '\n');
		if (nl)
			nl[1] = 0;
	}
}

int failnth_disarm(int fd, unsigned *remaining)
{
	return failnth_disarm_site(fd, remaining, -1, NULL, 0);
}

int failnth_disarm_site(int fd, unsigned *remaining, int site_fd, char *site, size_t len)
{
	char buf[16];
	ssize_t n;
	int fired;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = 0;
		fired = strtoul(buf, NULL, 10) == 0;
		if (remaining)
			*remaining = strtoul(buf, NULL, 10);
	} else if (n < 0 && errno == EFAULT) {
		/*
		 * With usercopy faults on, the read's own copy_to_user was the
		 * last armed point: the call itself did not reach it.
		 */
		fired = 0;
		if (remaining)
			*remaining = 1;
	} else {
		fired = -1;
	}
	if (site && len) {
		*site = 0;
		if (fired > 0 && site_fd >= 0)
			read_site(site_fd, site, len);
	}
	/* The write's copy_from_user may consume the last point; either way 0 is left. */
	if (pwrite(fd, "0", 1, 0) != 1)
		pwrite(fd, "0", 1, 0);
	return fired;
}

int failnth_check_env(char *why, size_t len)
{
	static const char *const need[] = {
		"CONFIG_FAULT_INJECTION", "CONFIG_FAILSLAB", "CONFIG_FAIL_PAGE_ALLOC",
		"CONFIG_FAULT_INJECTION_DEBUG_FS", "CONFIG_DEBUG_FS",
	};
	char missing[256] = "";
	size_t i;
	int fd;

	if (geteuid() != 0) {
		snprintf(why, len, "must run as root (fail-nth of other tasks and debugfs knobs)");
		return -EPERM;
	}
	fd = failnth_open();
	if (fd >= 0)
		close(fd);
	if (fd >= 0 && !access("/sys/kernel/debug/failslab", W_OK) &&
	    !access("/sys/kernel/debug/fail_page_alloc", W_OK))
		return 0;
	if (kconfig_load() == 0) {
		for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
			if (kconfig_enabled(need[i]))
				continue;
			strncat(missing, " ", sizeof(missing) - strlen(missing) - 1);
			strncat(missing, need[i], sizeof(missing) - strlen(missing) - 1);
		}
	}
	if (fd < 0 && *missing)
		snprintf(why, len, "this kernel has no fail-nth: missing%s "
			 "(use the test kernel: faultsweep run --vm)", missing);
	else if (fd < 0)
		snprintf(why, len, "this kernel has no /proc/thread-self/fail-nth: it needs "
			 "CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, "
			 "CONFIG_FAULT_INJECTION_DEBUG_FS (use the test kernel: faultsweep run --vm)");
	else if (*missing)
		snprintf(why, len, "fault injection knobs missing in debugfs: missing%s", missing);
	else
		snprintf(why, len, "no /sys/kernel/debug/failslab or fail_page_alloc: "
			 "mount debugfs (mount -t debugfs none /sys/kernel/debug)");
	return -ENOENT;
}
