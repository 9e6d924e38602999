/*
 * Unit tests of the oracles through their wire-independent input: errno
 * policy, swallowed faults, fd leak, retry, no-fault failures, unreadable
 * fail-nth, abandoned steps, crashes and hangs; the exec engine's policy
 * (any result); and a worker's record handed to them (wrec_judge()).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "runner/sweep/oracle.h"
#include "runner/sweep/wrec.h"
#include "tests/unit/check.h"

static struct fs_harness h = {
	.name = "demo_case", .area = "net", .errnos = FS_ERRNOS(ENOBUFS),
};
static struct fs_harness h_enomem_only = { .name = "only_enomem", .area = "fs" };

/* A fired step whose call failed with @err. */
static struct oracle_step failed(int err)
{
	return (struct oracle_step){ .fired = true, .has_ret = true, .ret = -1, .err = err };
}

static void test_errno_policy(void)
{
	struct oracle_case oc, only, uc;

	oracle_case_of(&h, FS_FAULT_SLAB, &oc);
	oracle_case_of(&h_enomem_only, FS_FAULT_SLAB, &only);
	oracle_case_of(&h, FS_FAULT_SLAB | FS_FAULT_USERCOPY, &uc);
	CHECK_STR(oc.name, "demo_case");
	/* ENOMEM always, the case's own, EFAULT only with usercopy faults. */
	CHECK(oracle_errno_expected(&oc, ENOMEM));
	CHECK(oracle_errno_expected(&oc, ENOBUFS));
	CHECK(!oracle_errno_expected(&oc, ENFILE));
	CHECK(!oracle_errno_expected(&oc, EFAULT));
	CHECK(oracle_errno_expected(&uc, EFAULT));
	CHECK(oracle_errno_expected(&only, ENOMEM));
	CHECK(!oracle_errno_expected(&only, ENOBUFS));
}

static void test_judge(void)
{
	struct oracle_case oc;
	struct oracle_step in;
	struct fs_verdict v;

	oracle_case_of(&h, FS_FAULT_SLAB, &oc);

	/* Fired, failed with ENOMEM, retry fine: PASS. */
	in = failed(ENOMEM);
	in.retried = true;
	in.retry_ret = 3;
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_PASS && v.nfind == 0 && !v.swallowed && !*v.reason);

	/* Fired, ENFILE (measured on socketpair): unexpected-errno, titled for dedup. */
	in = failed(ENFILE);
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_FAIL && v.nfind == 1);
	CHECK_STR(v.find[0].kind, "unexpected-errno");
	CHECK_STR(v.find[0].title, "unexpected-errno: demo_case returns ENFILE on a failed allocation");

	/* Fired but the call succeeded: swallowed, recorded, not a failure. */
	in = (struct oracle_step){ .fired = true, .has_ret = true, .ret = 0 };
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_PASS && v.swallowed);

	/* fd leak and failed retry stack up with a bad errno. */
	in = failed(EIO);
	in.fd_leak = true;
	in.retried = true;
	in.retry_ret = -1;
	in.retry_err = EBUSY;
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_FAIL && v.nfind == 3);
	CHECK_STR(v.find[0].kind, "unexpected-errno");
	CHECK_STR(v.find[1].kind, "fd-leak");
	CHECK_STR(v.find[1].title, "fd-leak: demo_case leaves a descriptor behind when it fails");
	CHECK_STR(v.find[2].kind, "retry-failed");
	CHECK_STR(v.find[2].title, "retry-failed: demo_case fails with EBUSY after a failed call");

	/* No retry ran: no retry finding even if retry_ret is garbage. */
	in = failed(ENOMEM);
	in.retry_ret = -1;
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_PASS && v.nfind == 0);

	/* The sweep's end: not fired, call worked: PASS; call failed: BROK. */
	in = (struct oracle_step){ .has_ret = true, .ret = 3 };
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_PASS && !v.swallowed);
	in = (struct oracle_step){ .has_ret = true, .ret = -1, .err = EINVAL };
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_BROK && v.nfind == 0);
	CHECK_STR(v.reason, "the call failed with EINVAL although no fault fired");

	/* fail-nth unreadable: BROK, never blamed on the kernel, whatever the call did. */
	in = failed(ENFILE);
	in.fired = false;
	in.read_fail = true;
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_BROK && v.nfind == 0);
	CHECK_STR(v.reason, "fail-nth could not be read back");
}

/* The exec engine's policy: the program judges its syscall's result. */
static void test_any_result(void)
{
	struct oracle_case oc = { .name = "exec.ip.5.sendmsg", .any_result = true };
	struct oracle_step in;
	struct fs_verdict v;

	CHECK(oracle_errno_expected(&oc, ENFILE));
	in = failed(ENFILE);
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_PASS && v.nfind == 0 && !v.swallowed);
	/* A netlink sendmsg whose fault only shows in the reply: swallowed. */
	in = (struct oracle_step){ .fired = true, .has_ret = true, .ret = 40 };
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_PASS && v.swallowed);
	/* Not fired, and the call failed as the program's calls may: no BROK. */
	in = (struct oracle_step){ .has_ret = true, .ret = -1, .err = ENOENT };
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_PASS && !*v.reason);
	/* Fired, but the thread died in the call: its result is unknown, never swallowed. */
	in = (struct oracle_step){ .fired = true };
	oracle_judge(&oc, &in, &v);
	CHECK(v.kind == FS_PASS && !v.swallowed);
}

static void test_abandoned_killed_hang(void)
{
	struct fs_verdict v;

	oracle_abandoned(true, "CONFIG_X missing", &v);
	CHECK(v.kind == FS_CONF && v.nfind == 0);
	CHECK_STR(v.reason, "CONFIG_X missing");
	oracle_abandoned(false, "syscalls/pipe.c:12: setup: EMFILE", &v);
	CHECK(v.kind == FS_BROK);
	CHECK_STR(v.reason, "syscalls/pipe.c:12: setup: EMFILE");

	oracle_killed(&h, SIGSEGV, &v);
	CHECK(v.kind == FS_FAIL && v.nfind == 1);
	CHECK_STR(v.find[0].kind, "worker-killed");
	CHECK_STR(v.find[0].title, "worker-killed: demo_case killed by SIGSEGV");
	oracle_hang(&h, 30, &v);
	CHECK(v.kind == FS_FAIL);
	CHECK_STR(v.find[0].kind, "hang");
	CHECK_STR(v.find[0].title, "hang: demo_case did not return within 30 s");

	CHECK_STR(fs_verdict_name(FS_CONF), "CONF");
	CHECK_STR(fs_verdict_name(FS_FAIL), "FAIL");
	CHECK_STR(oracle_errno_name(ENOMEM), "ENOMEM");
}

/* A worker's record: every flag reaches the oracle as the field it means. */
static void test_wrec(void)
{
	struct fs_wrec r = { .type = WREC_STEP, .nth = 5, .flags = WREC_FIRED | WREC_FD_LEAK |
			     WREC_RETRIED, .ret = -1, .err = EIO, .retry_ret = -1,
			     .retry_err = EBUSY };
	struct fs_verdict v;

	wrec_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_FAIL && v.nfind == 3);
	CHECK_STR(v.find[2].title, "retry-failed: demo_case fails with EBUSY after a failed call");
	r = (struct fs_wrec){ .type = WREC_STEP, .flags = WREC_FIRED, .ret = -1, .err = EFAULT };
	wrec_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_FAIL);
	wrec_judge(&h, FS_FAULT_SLAB | FS_FAULT_USERCOPY, &r, &v);
	CHECK(v.kind == FS_PASS);
	r = (struct fs_wrec){ .type = WREC_STEP, .flags = WREC_FIRED, .ret = 0 };
	wrec_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_PASS && v.swallowed);
	r = (struct fs_wrec){ .type = WREC_STEP, .flags = WREC_READ_FAIL, .ret = -1, .err = ENOMEM };
	wrec_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_BROK);
	r = (struct fs_wrec){ .type = WREC_STEP, .ret = -1, .err = EINVAL };
	wrec_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_BROK && strstr(v.reason, "EINVAL"));
	r = (struct fs_wrec){ .type = WREC_CONF };
	strcpy(r.msg, "CONFIG_X missing");
	wrec_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_CONF);
	CHECK_STR(v.reason, "CONFIG_X missing");
	r.type = WREC_BROK;
	wrec_judge(&h, FS_FAULT_SLAB, &r, &v);
	CHECK(v.kind == FS_BROK);
	CHECK_STR(v.reason, "CONFIG_X missing");
}

int main(void)
{
	test_errno_policy();
	test_judge();
	test_any_result();
	test_abandoned_killed_hang();
	test_wrec();
	return check_summary();
}
