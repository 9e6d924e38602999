/* Unit tests of --faults parsing (the debugfs side needs the test kernel: tests/vm). */
#include "runner/inject/knobs.h"
#include "runner/sweep/oracle.h"
#include "tests/unit/check.h"

int main(void)
{
	char bad[32];

	CHECK(knobs_parse_faults("slab", bad, sizeof(bad)) == FS_FAULT_SLAB);
	CHECK(knobs_parse_faults("slab,page", bad, sizeof(bad)) == (FS_FAULT_SLAB | FS_FAULT_PAGE));
	CHECK(knobs_parse_faults("slab,page,usercopy,futex", bad, sizeof(bad)) ==
	      (FS_FAULT_SLAB | FS_FAULT_PAGE | FS_FAULT_USERCOPY | FS_FAULT_FUTEX));
	CHECK(knobs_parse_faults("slab,pgae", bad, sizeof(bad)) == -1);
	CHECK_STR(bad, "pgae");
	CHECK(knobs_parse_faults("", bad, sizeof(bad)) == -1);
	CHECK(knobs_parse_faults(",", bad, sizeof(bad)) == -1);
	return check_summary();
}
