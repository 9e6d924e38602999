/* The exec engine's journal records: step, case, site and the clean run's invocations, in `run`'s shapes (journal/records.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal/records.h"
#include "runner/exec/exec_int.h"
#include "runner/exec/exec_sys.h"
#include "runner/capture/kcap.h"

#define OUTPUT_TAIL 1000

const char *exec_sig_str(int sig, char *buf, size_t len)
{
	snprintf(buf, len, "SIG%s", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
	return buf;
}

const char *exec_status_str(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		return exec_sig_str(WTERMSIG(status), buf, len);
	snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	return buf;
}

/* The last OUTPUT_TAIL bytes CMD wrote, from a line start when there is one. */
static void output_tail(int fd, char *buf, size_t len)
{
	off_t size = lseek(fd, 0, SEEK_END), from;
	ssize_t n;
	char *nl;

	*buf = 0;
	if (size <= 0)
		return;
	from = size > (off_t)len - 1 ? size - (off_t)(len - 1) : 0;
	n = pread(fd, buf, len - 1, from);
	if (n <= 0)
		return;
	buf[n] = 0;
	if (from && (nl = strchr(buf, '\n')))
		memmove(buf, nl + 1, strlen(nl + 1) + 1);
}

/* A backtrace's frames as the record takes them. */
static void frames_of(const struct exec_bt *bt, const char **out)
{
	unsigned i;

	for (i = 0; i < bt->n && i < EXEC_FRAMES_MAX; i++)
		out[i] = bt->frame[i];
}

void exec_rec_step(const struct fs_exec_ctx *c, const struct exec_step *s)
{
	const struct exec_run_out *o = s->o;
	int err = o->has_ret && o->ret < 0 && o->ret > -4096 ? (int)-o->ret : 0;
	const char *callsite[EXEC_FRAMES_MAX], *crash[EXEC_FRAMES_MAX];
	char st[32], sig[32], out[OUTPUT_TAIL + 1];
	struct fs_finding find = { "", "" };

	if (*s->kind) {
		snprintf(find.kind, sizeof(find.kind), "%s", s->kind);
		snprintf(find.title, sizeof(find.title), "%s", s->title);
	}
	frames_of(&o->callsite, callsite);
	frames_of(&o->crash_bt, crash);
	output_tail(s->out_fd, out, sizeof(out));
	jrec_step(c->journal, &(struct jrec_step){
		.run = c->run_id, .case_name = s->case_name, .area = s->area, .nth = s->nth,
		.fired = o->fired < 0 || !o->reached || o->mismatch ? -1 : o->fired > 0,
		.has_ret = o->has_ret, .ret = o->ret, .err = err,
		.errno_name = err ? oracle_errno_name(err) : "",
		.verdict = s->verdict, .findings = &find, .nfindings = *s->kind ? 1 : 0,
		.swallowed = s->swallowed, .fd_leak = false, .nondet = s->nondet,
		.reason = s->reason, .pid = o->tid, .t_ms = o->t_ms,
		.exec = &(struct jrec_exec_step){
			.invocation = s->k, .syscall = s->sys,
			.status = o->timed_out ? "timeout" : exec_status_str(o->status, st, sizeof(st)),
			.status_differs = s->status_differs,
			.has_callsite = o->has_callsite, .callsite = callsite,
			.ncallsite = o->callsite.n < EXEC_FRAMES_MAX ? o->callsite.n : EXEC_FRAMES_MAX,
			.crashed = o->crashed, .crash_pid = o->crash_pid,
			.crash_signal = exec_sig_str(o->crash_sig, sig, sizeof(sig)),
			.has_crash_frames = o->has_crash_bt, .crash_frames = crash,
			.ncrash_frames = o->crash_bt.n < EXEC_FRAMES_MAX ? o->crash_bt.n :
					 EXEC_FRAMES_MAX,
			.output = out,
		},
	});
}

void exec_rec_site(const struct fs_exec_ctx *c, const struct exec_step *s)
{
	if (kcap_write_patch_site(c->journal, c->run_id, s->case_name, s->nth, s->o->site,
				  strnlen(s->o->site, sizeof(s->o->site)), s->o->tid))
		return;
	stats_site(c->st);
}

void exec_rec_case(const struct fs_exec_ctx *c, const char *case_name, const char *area,
		   enum fs_verdict_kind verdict, unsigned k, const char *sys, unsigned points,
		   unsigned steps, unsigned kreports, bool nondet, const char *reason)
{
	jrec_case(c->journal, &(struct jrec_case){
		.run = c->run_id, .case_name = case_name, .area = area, .verdict = verdict,
		.points = points, .steps = steps, .kernel_reports = kreports, .nondet = nondet,
		.reason = reason, .invocation = k, .syscall = sys });
}

void exec_rec_calls(const struct fs_exec_ctx *c, const char *name, char *const *argv,
		    const struct exec_run_out *clean, unsigned swept)
{
	char (*sys)[64] = calloc(clean->ncalls + 1, sizeof(*sys)), st[32];
	const char **calls = calloc(clean->ncalls + 1, sizeof(*calls));
	unsigned i;

	if (!sys || !calls)
		goto out;
	for (i = 0; i < clean->ncalls && clean->calls; i++)
		calls[i] = exec_sys_name(clean->calls[i], sys[i], sizeof(sys[i]));
	jrec_exec(c->journal, &(struct jrec_exec){
		.run = c->run_id, .name = name, .argv = (const char *const *)argv,
		.clean_status = exec_status_str(clean->status, st, sizeof(st)),
		.clean_ms = clean->t_ms, .invocations = clean->ncalls, .swept = swept,
		.calls = calls, .ncalls = clean->calls ? clean->ncalls : 0,
	});
out:
	free(sys);
	free(calls);
}
