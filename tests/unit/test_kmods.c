/* runner/capture/kmods: lookups find the newest load of a range; the table keeps the newest loads. */
#include <string.h>

#include "runner/capture/kmods.h"
#include "tests/unit/check.h"

static void test_lookup(void)
{
	static struct kmods_seen s;
	struct marker_module a = { .name = "a", .base = 0x1000, .text = 0x1000, .size = 0x1000 };
	struct marker_module b = { .name = "b", .base = 0x1000, .text = 0x1010, .size = 0x800 };

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
		struct marker_module m = { .base = 0x100000 + i * 0x1000ull, .size = 0x1000 };

		snprintf(m.name, sizeof(m.name), "m%u", i);
		kmods_add(&s, &m);
	}
	CHECK(s.n == KMODS_MAX);
	CHECK(!kmods_lookup(&s, 0x1200));	/* the oldest fell out */
	CHECK_STR(kmods_lookup(&s, 0x100000 + (KMODS_MAX + 4) * 0x1000ull)->name, "m68");
}

int main(void)
{
	test_lookup();
	return check_summary();
}
