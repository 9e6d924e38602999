/* Runs kmemleak scans between cases and journals the leaks they find. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "klog/kreport.h"
#include "harness/harness.h"
#include "runner/capture/kleak.h"

#define KMEMLEAK "/sys/kernel/debug/kmemleak"

static pthread_mutex_t scanning = PTHREAD_MUTEX_INITIALIZER;

static int command(const char *cmd)
{
	int fd = open(KMEMLEAK, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, cmd, strlen(cmd)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int kleak_init(char *note, size_t len)
{
	int ret;

	if (access(KMEMLEAK, F_OK)) {
		snprintf(note, len, "kmemleak: %s absent (CONFIG_DEBUG_KMEMLEAK off): no leak "
			 "detection", KMEMLEAK);
		return -ENOENT;
	}
	ret = command("clear");
	if (ret) {
		/* EPERM/EBUSY: booted with kmemleak=off or it disabled itself. */
		snprintf(note, len, "kmemleak: disabled (%s; kmemleak=off, or it turned itself "
			 "off — see dmesg): no leak detection", strerror(-ret));
		return -ENOENT;
	}
	return 0;
}

/*
 * A guilty frame printed as a bare address belongs to a module unloaded
 * before the scan: name it by the module a worker saw loaded there
 * (runner/capture/kmods.h), "memory leak in .text+0x520 [fs_planted]", so leaks in
 * different modules or functions are not one title, and the report stage
 * can symbolize it against the .ko. The raw text says so too.
 */
static void place_unloaded(struct kcap *k, struct kreport *r, char *note, size_t len)
{
	struct marker_module m;
	uint64_t addr;

	if (strncmp(r->guilty.func, "0x", 2) || r->guilty.module[0])
		return;
	addr = strtoull(r->guilty.func, NULL, 16);
	if (!kcap_module_of(k, addr, &m))
		return;
	snprintf(note, len, "\nfaultsweep: %.24s is %.55s .text+0x%" PRIx64
		 " (loaded at 0x%" PRIx64 ", unloaded before the scan)", r->guilty.func,
		 m.name, addr - m.text, m.text);
	snprintf(r->guilty.func, sizeof(r->guilty.func), ".text+0x%" PRIx64, addr - m.text);
	snprintf(r->guilty.module, sizeof(r->guilty.module), "%s", m.name);
	snprintf(r->title, sizeof(r->title), "memory leak in %s [%s]", r->guilty.func, m.name);
}

/* Read the current leak list into a parser; returns the number of leaks. */
static int read_leaks(struct kreport_parser **pp)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(KMEMLEAK, "re");
	int n = 0;

	*pp = kreport_new();
	if (!f || !*pp) {
		if (f)
			fclose(f);
		return 0;
	}
	while (getline(&line, &cap, f) > 0)
		kreport_feed(*pp, line, 0, 0);
	free(line);
	fclose(f);
	n = kreport_flush(*pp);
	return n > 0 ? n : 0;
}

int kleak_scan(struct kcap *k, struct journal *j, const char *run_id, struct fs_stats *st)
{
	struct kreport_parser *p = NULL;
	struct kreport *r;
	int n = 0;

	if (pthread_mutex_trylock(&scanning))
		return 0;
	if (command("scan"))
		goto out;
	sleep(5);	/* objects younger than 5 s are not reported */
	command("scan");
	if (!read_leaks(&p))
		goto out;
	/* Hits: scan once more, a transient pointer may have been missed. */
	kreport_destroy(p);
	command("scan");
	read_leaks(&p);
	while (p && (r = kreport_next(p))) {
		const struct fs_harness *h;
		struct attrib_at at;
		char note[200];

		if (r->kind != KREPORT_MEMORY_LEAK) {
			kreport_free(r);
			continue;
		}
		note[0] = 0;
		place_unloaded(k, r, note, sizeof(note));
		/* By its pid and its worker's per-step name "fs#N" (attrib_leak()). */
		kcap_leak_at(k, r, &at);
		h = *at.case_name ? fs_harness_find(at.case_name) : NULL;
		kcap_write_report(j, run_id, at.case_name, h ? h->area : "", at.nth, at.how, r,
				  note);
		stats_finding(st, kreport_kind_str(r->kind));
		kreport_free(r);
		n++;
	}
	command("clear");
out:
	kreport_destroy(p);
	pthread_mutex_unlock(&scanning);
	return n;
}
