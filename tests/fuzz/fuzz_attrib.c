/*
 * The libFuzzer entry point of the attribution (runner/capture/attrib.h):
 * the input is read as /dev/kmsg records, a jump in their sequence numbers
 * as a lost stretch, and every event that comes out is checked: its step
 * is a string, its way of attribution one of the three, a report or dump
 * exactly where its kind says, an event for each of them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runner/capture/attrib.h"
#include "tests/fuzz/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drain(struct attrib *a)
{
	struct attrib_event ev;

	while (attrib_next(a, &ev)) {
		if (!memchr(ev.at.case_name, '\0', sizeof(ev.at.case_name)) ||
		    !memchr(ev.mod.name, '\0', sizeof(ev.mod.name)))
			abort();
		switch (ev.kind) {
		case ATTRIB_REPORT:
		case ATTRIB_SITE:
			if (!ev.at.how || (strcmp(ev.at.how, "pid") && strcmp(ev.at.how, "time") &&
					   strcmp(ev.at.how, "none")))
				abort();
			if (!strcmp(ev.at.how, "none") && (*ev.at.case_name || ev.at.nth))
				abort();
			if ((ev.kind == ATTRIB_REPORT) != (ev.report != NULL) ||
			    (ev.kind == ATTRIB_SITE) != (ev.dump != NULL))
				abort();
			if (ev.report && (!ev.report->title[0] || !ev.report->raw))
				abort();
			break;
		case ATTRIB_MODULE:
		case ATTRIB_END:
		case ATTRIB_GAP:
			if (ev.report || ev.dump)
				abort();
			break;
		default:
			abort();
		}
		kreport_free(ev.report);
		free(ev.dump);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kmsg_rec rec;
	struct attrib *a = attrib_new();
	const char *s = (const char *)data, *end = s + size;
	uint64_t prev = 0;

	if (!a)
		abort();
	while (s < end) {
		const char *e = records_end(s, end);

		if (kmsg_parse_record(s, (size_t)(e - s), &rec) == 0) {
			if (prev && rec.seq != prev + 1)
				attrib_gap(a);
			prev = rec.seq;
			attrib_feed(a, &rec);
			drain(a);
		}
		s = e + 1;
	}
	attrib_flush(a);
	drain(a);
	attrib_destroy(a);
	return 0;
}
