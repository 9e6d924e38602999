/* Unit tests of the fail-nth helpers that need no fault-injection kernel (tests/vm/module_scope.sh runs the rest). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "runner/inject/failnth.h"
#include "tests/unit/check.h"

int main(void)
{
	char name[128];

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
	failnth_features_text(FAILNTH_SITE | FAILNTH_DEBUG_EXCLUDED, name, sizeof(name));
	CHECK_STR(name, "fail-nth-site yes, fail-nth-module no, debug allocations excluded yes");
	failnth_features_text(0, name, sizeof(name));
	CHECK_STR(name, "fail-nth-site no, fail-nth-module no, debug allocations excluded no");
	/* A host kernel has none of them (the test kernel runs only in the VM). */
	CHECK(failnth_features() == 0 || access("/proc/thread-self/fail-nth", F_OK) == 0);
	return check_summary();
}
