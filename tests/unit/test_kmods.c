/* runner/kmods: the module marker line round-trips, and lookups find the newest load of a range. */
#include <string.h>

#include "runner/capture/kmods.h"
#include "tests/unit/check.h"

static void test_marker(void)
{
	struct kmods_mod m = { .name = "fs_planted", .base = 0xffffffffa0018000ull,
			       .text = 0xffffffffa0018040ull, .size = 16384 }, back;
	char line[160];
	int len = kmods_format(line, sizeof(line), &m);

	CHECK(len == (int)strlen(line));
	CHECK_STR(line, "<14>faultsweep: module fs_planted 0xffffffffa0018000 "
		  "0xffffffffa0018040 16384\n");
	/* As the capture thread reads it: the /dev/kmsg text, no priority. */
	CHECK(kmods_parse(line + 4, &back));
	CHECK_STR(back.name, "fs_planted");
	CHECK(back.base == m.base && back.text == m.text && back.size == m.size);
	CHECK(kmods_parse(line, &back));
	CHECK(!kmods_parse("faultsweep: step x 1 2", &back));
	CHECK(!kmods_parse("faultsweep: module fs_planted", &back));
	CHECK(!kmods_parse("faultsweep: module fs_planted 0xg 0x1 3", &back));
}

static void test_lookup(void)
{
	static struct kmods_seen s;
	struct kmods_mod a = { .name = "a", .base = 0x1000, .text = 0x1000, .size = 0x1000 };
	struct kmods_mod b = { .name = "b", .base = 0x1000, .text = 0x1010, .size = 0x800 };

	CHECK(!kmods_lookup(&s, 0x1000));
	kmods_add(&s, &a);
	kmods_add(&s, &a);
	CHECK(s.n == 1);
	CHECK(kmods_lookup(&s, 0x1fff) == &s.mod[0]);
	CHECK(!kmods_lookup(&s, 0x2000));
	/* b loaded where a was after a's unload: b wins for its range, a beyond it. */
	kmods_add(&s, &b);
	CHECK_STR(kmods_lookup(&s, 0x1200)->name, "b");
	CHECK_STR(kmods_lookup(&s, 0x1900)->name, "a");
	for (unsigned i = 0; i < KMODS_MAX + 5; i++) {
		struct kmods_mod m = { .base = 0x100000 + i * 0x1000ull, .size = 0x1000 };

		snprintf(m.name, sizeof(m.name), "m%u", i);
		kmods_add(&s, &m);
	}
	CHECK(s.n == KMODS_MAX);
	CHECK(!kmods_lookup(&s, 0x1200));	/* the oldest fell out */
	CHECK_STR(kmods_lookup(&s, 0x100000 + (KMODS_MAX + 4) * 0x1000ull)->name, "m68");
}

int main(void)
{
	test_marker();
	test_lookup();
	return check_summary();
}
