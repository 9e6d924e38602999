/* Unit tests of the fail-nth helpers that need no fault-injection kernel (tests/vm/module_scope.sh runs the rest). */
#include <errno.h>
#include <string.h>

#include "runner/failnth.h"
#include "tests/unit/check.h"

int main(void)
{
	char name[80];

	/* MODULE_NAME_LEN is 56 on 64-bit: 55 characters fit, 56 do not. */
	memset(name, 'm', sizeof(name));
	name[56] = 0;
	CHECK(failnth_scope_module(name) == -EINVAL);
	name[79] = 0;
	CHECK(failnth_scope_module(name) == -EINVAL);
	/* Without the patch (any host kernel here) the file is missing. */
	if (!failnth_has_module_scope()) {
		CHECK(failnth_scope_module("fs_planted") == -ENOENT);
		CHECK(failnth_scope_module(NULL) == -ENOENT);
	}
	return check_summary();
}
