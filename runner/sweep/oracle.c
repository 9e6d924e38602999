/* The oracles after a step: errno policy, fd leak, retry, swallowed faults, abandoned steps, crashes and hangs. */
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

void oracle_case_of(const struct fs_harness *h, unsigned faults, struct oracle_case *oc)
{
	*oc = (struct oracle_case){ .name = h->name, .errnos = h->errnos, .faults = faults };
}

bool oracle_errno_expected(const struct oracle_case *oc, int err)
{
	const int *e;

	if (oc->any_result || err == ENOMEM)
		return true;
	if (err == EFAULT && (oc->faults & FS_FAULT_USERCOPY))
		return true;
	for (e = oc->errnos; e && *e; e++)
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

void oracle_judge(const struct oracle_case *oc, const struct oracle_step *in,
		  struct fs_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (in->read_fail) {
		v->kind = FS_BROK;
		snprintf(v->reason, sizeof(v->reason), "fail-nth could not be read back");
		return;
	}
	if (!in->fired) {
		/* The sweep's end: nothing was injected, the call must just work. */
		if (in->has_ret && in->ret < 0 && !oc->any_result) {
			v->kind = FS_BROK;
			snprintf(v->reason, sizeof(v->reason),
				 "the call failed with %s although no fault fired",
				 oracle_errno_name(in->err));
		}
		return;
	}
	if (!in->has_ret)
		return;
	if (in->ret >= 0) {
		v->swallowed = true;
		return;
	}
	if (!oracle_errno_expected(oc, in->err))
		add(v, "unexpected-errno", "unexpected-errno: %s returns %s on a failed allocation",
		    oc->name, oracle_errno_name(in->err));
	if (in->fd_leak)
		add(v, "fd-leak", "fd-leak: %s leaves a descriptor behind when it fails", oc->name);
	if (in->retried && in->retry_ret < 0)
		add(v, "retry-failed", "retry-failed: %s fails with %s after a failed call",
		    oc->name, oracle_errno_name(in->retry_err));
}

void oracle_abandoned(bool conf, const char *why, struct fs_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->kind = conf ? FS_CONF : FS_BROK;
	snprintf(v->reason, sizeof(v->reason), "%s", why);
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
