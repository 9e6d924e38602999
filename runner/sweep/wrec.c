/* A worker's record judged: its outcome as the oracles take it. */
#include "runner/sweep/oracle.h"
#include "runner/sweep/wrec.h"

void wrec_judge(const struct fs_harness *h, unsigned faults, const struct fs_wrec *r,
		struct fs_verdict *v)
{
	struct oracle_step in = {
		.fired = r->flags & WREC_FIRED,
		.read_fail = r->flags & WREC_READ_FAIL,
		.has_ret = true,
		.ret = r->ret,
		.err = r->err,
		.fd_leak = r->flags & WREC_FD_LEAK,
		.retried = r->flags & WREC_RETRIED,
		.retry_ret = r->retry_ret,
		.retry_err = r->retry_err,
	};
	struct oracle_case oc;

	if (r->type == WREC_CONF || r->type == WREC_BROK) {
		oracle_abandoned(r->type == WREC_CONF, r->msg, v);
		return;
	}
	oracle_case_of(h, faults, &oc);
	oracle_judge(&oc, &in, v);
}
