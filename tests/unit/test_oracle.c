/* Unit tests of the oracles: errno policy, swallowed faults, fd leak, retry, crash and hang verdicts. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "runner/sweep/oracle.h"
#include "tests/unit/check.h"

static struct fs_harness h = {
	.name = "demo_case", .area = "net", .errnos = FS_ERRNOS(ENOBUFS),
};
static struct fs_harness h_enomem_only = { .name = "only_enomem", .area = "fs" };

static struct fs_wrec step(unsigned flags, long ret, int err)
{
	struct fs_wrec r = { .type = WREC_STEP, .nth = 5, .flags = flags, .ret = ret, .err = err };

	return r;
}

int main(void)
{
	struct fs_verdict v;
	struct fs_wrec r;

	/* Expected errnos: ENOMEM always, the case's own, EFAULT only with usercopy. */
	CHECK(oracle_errno_expected(&h, FS_FAULT_SLAB, ENOMEM));
	CHECK(oracle_errno_expected(&h, FS_FAULT_SLAB, ENOBUFS));
	CHECK(!oracle_errno_expected(&h, FS_FAULT_SLAB, ENFILE));
	CHECK(!oracle_errno_expected(&h, FS_FAULT_SLAB, EFAULT));
	CHECK(oracle_errno_expected(&h, FS_FAULT_SLAB | FS_FAULT_USERCOPY, EFAULT));
	CHECK(oracle_errno_expected(&h_enomem_only, FS_FAULT_SLAB, ENOMEM));
	CHECK(!oracle_errno_expected(&h_enomem_only, FS_FAULT_SLAB, ENOBUFS));

	/* Fired, failed with ENOMEM, retry fine: PASS. */
	r = step(WREC_FIRED | WREC_RETRIED, -1, ENOMEM);
	oracle_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_PASS && v.nfind == 0 && !v.swallowed);

	/* Fired, ENFILE (measured on socketpair): unexpected-errno, titled for dedup. */
	r = step(WREC_FIRED, -1, ENFILE);
	oracle_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_FAIL && v.nfind == 1);
	CHECK_STR(v.find[0].kind, "unexpected-errno");
	CHECK_STR(v.find[0].title, "unexpected-errno: demo_case returns ENFILE on a failed allocation");

	/* Fired but the call succeeded: swallowed, recorded, not a failure. */
	r = step(WREC_FIRED, 0, 0);
	oracle_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_PASS && v.swallowed);

	/* fd leak and failed retry stack up with a bad errno. */
	r = step(WREC_FIRED | WREC_FD_LEAK | WREC_RETRIED, -1, EIO);
	r.retry_ret = -1;
	r.retry_err = EBUSY;
	oracle_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_FAIL && v.nfind == 3);
	CHECK_STR(v.find[1].kind, "fd-leak");
	CHECK_STR(v.find[2].kind, "retry-failed");
	CHECK(strstr(v.find[2].title, "EBUSY") != NULL);

	/* No retry record: no retry finding even if retry_ret is garbage. */
	r = step(WREC_FIRED, -1, ENOMEM);
	r.retry_ret = -1;
	oracle_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_PASS);

	/* The sweep's end: not fired, call worked: PASS; call failed: BROK. */
	r = step(0, 3, 0);
	oracle_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_PASS && !v.swallowed);
	r = step(0, -1, EINVAL);
	oracle_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_BROK && strstr(v.reason, "EINVAL"));

	/* fail-nth unreadable: BROK, never blamed on the kernel. */
	r = step(WREC_READ_FAIL, -1, ENOMEM);
	oracle_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_BROK);

	/* BROK/CONF records carry their message. */
	r = step(0, 0, 0);
	r.type = WREC_CONF;
	strcpy(r.msg, "CONFIG_X missing");
	oracle_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_CONF);
	CHECK_STR(v.reason, "CONFIG_X missing");

	/* Crashes and hangs. */
	oracle_killed(&h, SIGSEGV, &v);
	CHECK(v.kind == FS_FAIL);
	CHECK_STR(v.find[0].title, "worker-killed: demo_case killed by SIGSEGV");
	oracle_hang(&h, 30, &v);
	CHECK(v.kind == FS_FAIL);
	CHECK_STR(v.find[0].kind, "hang");

	CHECK_STR(fs_verdict_name(FS_CONF), "CONF");
	CHECK_STR(oracle_errno_name(ENOMEM), "ENOMEM");
	return check_summary();
}
