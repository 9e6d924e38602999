/* Sets the fault-injection debugfs knobs for a sweep and restores them on exit and on signals. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/knob_io.h"
#include "runner/inject/knobs.h"

#define MAX_KNOBS 32

static struct fs_knob saved[MAX_KNOBS];
static volatile sig_atomic_t nsaved;

static const struct {
	const char *name;
	const char *dir;
	unsigned bit;
} types[] = {
	{ "slab", "failslab", FS_FAULT_SLAB },
	{ "page", "fail_page_alloc", FS_FAULT_PAGE },
	{ "usercopy", "fail_usercopy", FS_FAULT_USERCOPY },
	{ "futex", "fail_futex", FS_FAULT_FUTEX },
};

void knobs_restore(void)
{
	fs_knob_restore(saved, &nsaved);
}

static int set_knob(const char *dir, const char *name, const char *val)
{
	return fs_knob_set(saved, &nsaved, MAX_KNOBS, dir, name, val);
}

static void fatal(int sig)
{
	knobs_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

int knobs_parse_faults(const char *list, char *bad, size_t len)
{
	char copy[128], *tok, *save = NULL;
	unsigned mask = 0;
	size_t i;

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcmp(tok, types[i].name))
				break;
		if (i == sizeof(types) / sizeof(types[0])) {
			snprintf(bad, len, "%s", tok);
			return -1;
		}
		mask |= types[i].bit;
	}
	if (!mask) {
		snprintf(bad, len, "%s", list);
		return -1;
	}
	return mask;
}

int knobs_apply(unsigned faults, unsigned verbose, char *why, size_t len)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE };
	char v[8];
	size_t i;
	int err = 0;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], fatal);
	snprintf(v, sizeof(v), "%u", verbose);
	/* GFP_KERNEL allocations are hidden by the default ignore-gfp-wait=Y. */
	err = err ?: set_knob("failslab", "ignore-gfp-wait", "N");
	err = err ?: set_knob("fail_page_alloc", "ignore-gfp-wait", "N");
	err = err ?: set_knob("fail_page_alloc", "ignore-gfp-highmem", "N");
	err = err ?: set_knob("fail_page_alloc", "min-order", "0");
	for (i = 0; !err && i < sizeof(types) / sizeof(types[0]); i++) {
		char d[64];

		snprintf(d, sizeof(d), FS_KNOB_DBG "%s", types[i].dir);
		if (access(d, F_OK)) {
			if (faults & types[i].bit) {
				snprintf(why, len, "--faults %s: %s missing (kernel option for it not set)",
					 types[i].name, d);
				knobs_restore();
				return -ENOENT;
			}
			continue;
		}
		err = set_knob(types[i].dir, "verbose", v);
		/*
		 * Dumps feed the coverage map: one lost to the ratelimit (10 per
		 * 5 s by default) is a site lost. Interval 0 turns the limit off;
		 * a kernel without these knobs keeps its limit.
		 */
		if (!err && verbose) {
			set_knob(types[i].dir, "verbose_ratelimit_interval_ms", "0");
			set_knob(types[i].dir, "verbose_ratelimit_burst", "1000000");
		}
		/*
		 * fail-nth honours the stacktrace filter: an empty require range
		 * makes this fault type neither fire nor count.
		 */
		if (!err && !(faults & types[i].bit))
			err = set_knob(types[i].dir, "require-end", "0");
	}
	if (err) {
		snprintf(why, len, "cannot set fault-injection knobs in " FS_KNOB_DBG ": %s", strerror(-err));
		knobs_restore();
	}
	return err;
}

int knobs_faults_opt(const char *cmd, const char *list)
{
	char bad[64];
	int mask = knobs_parse_faults(list, bad, sizeof(bad));

	if (mask >= 0)
		return mask;
	fprintf(stderr, "faultsweep %s: --faults: unknown fault type '%s' "
		"(want slab, page, usercopy, futex)\n", cmd, bad);
	return -EINVAL;
}
