/* The oracles after a step: errno policy, fd leak, retry, swallowed faults, crashes and hangs. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "runner/sweep/oracle.h"

const char *oracle_errno_name(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "E?";
}

bool oracle_errno_expected(const struct fs_harness *h, unsigned faults, int err)
{
	const int *e;

	if (err == ENOMEM)
		return true;
	if (err == EFAULT && (faults & FS_FAULT_USERCOPY))
		return true;
	for (e = h->errnos; e && *e; e++)
		if (*e == err)
			return true;
	return false;
}

__attribute__((format(printf, 3, 4)))
static void add(struct fs_verdict *v, const char *kind, const char *fmt, ...)
{
	struct fs_finding *f;
	va_list ap;

	v->kind = FS_FAIL;
	if (v->nfind >= FS_MAX_FINDINGS)
		return;
	f = &v->find[v->nfind++];
	snprintf(f->kind, sizeof(f->kind), "%s", kind);
	va_start(ap, fmt);
	vsnprintf(f->title, sizeof(f->title), fmt, ap);
	va_end(ap);
}

void oracle_judge(const struct fs_harness *h, unsigned faults, const struct fs_wrec *r,
		  struct fs_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (r->type == WREC_CONF || r->type == WREC_BROK) {
		v->kind = r->type == WREC_CONF ? FS_CONF : FS_BROK;
		snprintf(v->reason, sizeof(v->reason), "%s", r->msg);
		return;
	}
	if (r->flags & WREC_READ_FAIL) {
		v->kind = FS_BROK;
		snprintf(v->reason, sizeof(v->reason), "fail-nth could not be read back");
		return;
	}
	if (!(r->flags & WREC_FIRED)) {
		/* The sweep's end: nothing was injected, the call must just work. */
		if (r->ret < 0) {
			v->kind = FS_BROK;
			snprintf(v->reason, sizeof(v->reason),
				 "the call failed with %s although no fault fired",
				 oracle_errno_name(r->err));
		}
		return;
	}
	if (r->ret >= 0) {
		v->swallowed = true;
		return;
	}
	if (!oracle_errno_expected(h, faults, r->err))
		add(v, "unexpected-errno", "unexpected-errno: %s returns %s on a failed allocation",
		    h->name, oracle_errno_name(r->err));
	if (r->flags & WREC_FD_LEAK)
		add(v, "fd-leak", "fd-leak: %s leaves a descriptor behind when it fails", h->name);
	if ((r->flags & WREC_RETRIED) && r->retry_ret < 0)
		add(v, "retry-failed", "retry-failed: %s fails with %s after a failed call",
		    h->name, oracle_errno_name(r->retry_err));
}

void oracle_killed(const struct fs_harness *h, int sig, struct fs_verdict *v)
{
	memset(v, 0, sizeof(*v));
	add(v, "worker-killed", "worker-killed: %s killed by SIG%s", h->name,
	    sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
}

void oracle_hang(const struct fs_harness *h, unsigned timeout_s, struct fs_verdict *v)
{
	memset(v, 0, sizeof(*v));
	add(v, "hang", "hang: %s did not return within %u s", h->name, timeout_s);
}
