/* Runs kmemleak scans between cases and journals the leaks they find. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/kreport.h"
#include "runner/harness.h"
#include "runner/kleak.h"

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

int kleak_scan(struct kcap *k, struct journal *j, const char *run_id, struct sup_stats *st)
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
		char name[96] = "";
		const struct fs_harness *h;
		unsigned nth = 0;
		struct jb *b;

		if (r->kind != KREPORT_MEMORY_LEAK) {
			kreport_free(r);
			continue;
		}
		kcap_case_of_pid(k, r->pid, name, sizeof(name), &nth);
		h = *name ? fs_harness_find(name) : NULL;
		b = malloc(sizeof(*b));
		if (b) {
			jb_begin(b);
			jb_str(b, "type", "report");
			jb_str(b, "run", run_id);
			jb_str(b, "case", name);
			jb_str(b, "area", h ? h->area : "");
			/* kmemleak knows the allocating pid, not the step: the case as a whole. */
			jb_uint(b, "nth", 0);
			jb_str(b, "attribution", *name ? "case" : "none");
			jb_str(b, "kind", kreport_kind_str(r->kind));
			jb_str(b, "title", r->title);
			jb_str(b, "guilty", r->guilty.func);
			jb_int(b, "pid", r->pid);
			jb_str(b, "comm", r->comm);
			if (r->raw && r->raw_len > 6000)
				r->raw[6000] = 0;
			jb_str(b, "raw", r->raw ? r->raw : "");
			journal_write(j, jb_end(b));
			free(b);
		}
		sup_count_finding(st, kreport_kind_str(r->kind));
		kreport_free(r);
		n++;
	}
	command("clear");
out:
	kreport_destroy(p);
	pthread_mutex_unlock(&scanning);
	return n;
}
