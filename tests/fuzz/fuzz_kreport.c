/*
 * The libFuzzer entry point of the kernel report parsers and the
 * fault-injection dump parser: the input is read both as /dev/kmsg records
 * and as console text; every report and dump that comes out is checked for
 * internal consistency.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "klog/fidump.h"
#include "klog/kmsg.h"
#include "klog/kreport.h"
#include "tests/fuzz/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t size)
{
	if (!memchr(s, '\0', size))
		abort();
}

static void drain(struct kreport_parser *p)
{
	struct kreport *r;

	while ((r = kreport_next(p)) != NULL) {
		if ((unsigned)r->kind >= KREPORT_NR_KINDS || !r->title[0])
			abort();
		check_str(r->title, sizeof(r->title));
		check_str(r->guilty.func, sizeof(r->guilty.func));
		check_str(r->guilty.module, sizeof(r->guilty.module));
		check_str(r->comm, sizeof(r->comm));
		check_str(r->file, sizeof(r->file));
		check_str(r->bug_type, sizeof(r->bug_type));
		if (r->alloc.nframes < 0 || r->alloc.nframes > KREPORT_TRACK_MAX ||
		    r->freed.nframes < 0 || r->freed.nframes > KREPORT_TRACK_MAX)
			abort();
		if (!r->raw || strlen(r->raw) != r->raw_len)
			abort();
		kreport_free(r);
	}
}

static void check_dump(const struct fidump *d)
{
	int i;

	check_str(d->fault, sizeof(d->fault));
	check_str(d->comm, sizeof(d->comm));
	if (d->nframes < 0 || d->nframes > FIDUMP_FRAMES || d->site < -1 ||
	    d->site >= d->nframes)
		abort();
	for (i = 0; i < d->nframes; i++) {
		check_str(d->frames[i].sym, sizeof(d->frames[i].sym));
		check_str(d->frames[i].func, sizeof(d->frames[i].func));
		check_str(d->frames[i].module, sizeof(d->frames[i].module));
	}
	if (d->site >= 0 && (!d->frames[d->site].reliable ||
			     fidump_is_machinery(d->frames[d->site].func)))
		abort();
}

static void drain_dumps(struct fidump_parser *p)
{
	struct fidump *d;

	while ((d = fidump_next(p)) != NULL) {
		check_dump(d);
		free(d);
	}
}

/* The whole input as a fail-nth-site file, in an exactly sized copy (no NUL). */
static void site_file(const uint8_t *data, size_t size)
{
	static struct fidump d;
	char *copy = malloc(size ? size : 1);
	int ret;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	ret = fidump_parse_site(copy, size, &d);
	if (ret && ret != -ENOENT)
		abort();
	if (!ret)
		check_dump(&d);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kmsg_rec rec;
	struct kreport_parser *kp = kreport_new(), *cp = kreport_new();
	struct fidump_parser *kd = fidump_new(), *cd = fidump_new();
	const char *s = (const char *)data, *end = s + size;

	if (!kp || !cp || !kd || !cd)
		abort();
	site_file(data, size);
	while (s < end) {
		const char *e = records_end(s, end);
		char *copy;

		if (kmsg_parse_record(s, (size_t)(e - s), &rec) == 0) {
			kreport_feed_kmsg(kp, &rec);
			fidump_feed_kmsg(kd, &rec);
		}
		/* An exactly sized copy, so that ASan sees any read past the line. */
		copy = malloc((size_t)(e - s) + 1);
		if (!copy)
			abort();
		memcpy(copy, s, (size_t)(e - s));
		copy[e - s] = '\0';
		kreport_feed(cp, copy, 0, 0);
		fidump_feed(cd, copy, 0);
		free(copy);
		drain(kp);
		drain(cp);
		drain_dumps(kd);
		drain_dumps(cd);
		s = e + 1;
	}
	kreport_flush(kp);
	kreport_flush(cp);
	fidump_flush(kd);
	fidump_flush(cd);
	drain(kp);
	drain(cp);
	drain_dumps(kd);
	drain_dumps(cd);
	kreport_destroy(kp);
	kreport_destroy(cp);
	fidump_destroy(kd);
	fidump_destroy(cd);
	return 0;
}
