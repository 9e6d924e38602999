/* The exec engine's journal records: step, case, site and the clean run's invocations, in `run`'s shapes. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "klog/fidump.h"
#include "runner/exec/exec_int.h"
#include "runner/exec/exec_sys.h"
#include "runner/capture/kcap.h"

#define OUTPUT_TAIL 1000

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

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

static void jb_findings(struct jb *b, const struct exec_step *s)
{
	char k[64], t[700], arr[800];

	if (!*s->kind) {
		jb_raw(b, "findings", "[]");
		return;
	}
	json_escape(k, sizeof(k), s->kind);
	json_escape(t, sizeof(t), s->title);
	snprintf(arr, sizeof(arr), "[{\"kind\":%s,\"title\":%s}]", k, t);
	jb_raw(b, "findings", arr);
}

void exec_rec_step(const struct fs_exec_ctx *c, const struct exec_step *s)
{
	const struct exec_run_out *o = s->o;
	struct {
		struct jb b;
		char frames[EXEC_FRAMES_MAX * (EXEC_FRAME_LEN + 8) + 4];
		char out[OUTPUT_TAIL + 1];
		char crash[EXEC_FRAMES_MAX * (EXEC_FRAME_LEN + 8) + 200];
	} *m = malloc(sizeof(*m));
	int err = o->has_ret && o->ret < 0 && o->ret > -4096 ? (int)-o->ret : 0;
	char st[32];

	if (!m)
		return;
	jb_begin(&m->b);
	jb_str(&m->b, "type", "step");
	jb_str(&m->b, "run", c->run_id);
	jb_str(&m->b, "case", s->case_name);
	jb_str(&m->b, "area", s->area);
	jb_uint(&m->b, "nth", s->nth);
	if (o->fired < 0 || !o->reached || o->mismatch)
		jb_raw(&m->b, "fired", "null");
	else
		jb_bool(&m->b, "fired", o->fired > 0);
	if (o->has_ret) {
		jb_int(&m->b, "ret", o->ret);
		jb_int(&m->b, "errno", err);
		jb_str(&m->b, "errno_name", err ? oracle_errno_name(err) : "");
	}
	jb_str(&m->b, "verdict", fs_verdict_name(s->verdict));
	jb_findings(&m->b, s);
	jb_bool(&m->b, "swallowed", s->swallowed);
	jb_bool(&m->b, "fd_leak", false);
	if (s->nondet)
		jb_bool(&m->b, "nondeterministic", true);
	if (*s->reason)
		jb_str(&m->b, "reason", s->reason);
	jb_int(&m->b, "pid", o->tid);
	jb_double(&m->b, "t_ms", o->t_ms);
	jb_int(&m->b, "ts", wall_ms());
	/* exec's own fields; the big ones last, so a full record loses only those. */
	jb_uint(&m->b, "invocation", s->k);
	jb_str(&m->b, "syscall", s->sys);
	jb_str(&m->b, "status", o->timed_out ? "timeout" : exec_status_str(o->status, st, sizeof(st)));
	jb_bool(&m->b, "status_differs", s->status_differs);
	if (o->has_callsite) {
		exec_bt_json(&o->callsite, m->frames, sizeof(m->frames));
		jb_raw(&m->b, "callsite", m->frames);
	}
	if (o->crashed) {
		struct jb *cb = malloc(sizeof(*cb));

		if (cb) {
			jb_begin(cb);
			jb_int(cb, "pid", o->crash_pid);
			jb_str(cb, "signal", exec_sig_str(o->crash_sig, st, sizeof(st)));
			if (o->has_crash_bt) {
				exec_bt_json(&o->crash_bt, m->crash, sizeof(m->crash));
				jb_raw(cb, "frames", m->crash);
			}
			jb_raw(&m->b, "crash", jb_end(cb));
			free(cb);
		}
	}
	output_tail(s->out_fd, m->out, sizeof(m->out));
	jb_str(&m->b, "output", m->out);
	journal_write(c->journal, jb_end(&m->b));
	free(m);
}

void exec_rec_site(const struct fs_exec_ctx *c, const struct exec_step *s)
{
	char *json = kcap_patch_site_json(c->run_id, s->case_name, s->nth, s->o->site,
					  strnlen(s->o->site, sizeof(s->o->site)), s->o->tid);

	if (!json)
		return;
	journal_write(c->journal, json);
	free(json);
	if (c->st) {
		pthread_mutex_lock(&c->st->lock);
		c->st->sites++;
		pthread_mutex_unlock(&c->st->lock);
	}
}

void exec_rec_case(const struct fs_exec_ctx *c, const char *case_name, const char *area,
		   enum fs_verdict_kind verdict, unsigned k, const char *sys, unsigned points,
		   unsigned steps, unsigned kreports, bool nondet, const char *reason)
{
	struct jb b;

	jb_begin(&b);
	jb_str(&b, "type", "case");
	jb_str(&b, "run", c->run_id);
	jb_str(&b, "case", case_name);
	jb_str(&b, "area", area);
	jb_str(&b, "verdict", fs_verdict_name(verdict));
	jb_uint(&b, "points", points);
	jb_uint(&b, "steps", steps);
	jb_uint(&b, "kernel_reports", kreports);
	jb_bool(&b, "nondeterministic", nondet);
	if (reason && *reason)
		jb_str(&b, "reason", reason);
	jb_int(&b, "ts", wall_ms());
	if (k) {
		jb_uint(&b, "invocation", k);
		jb_str(&b, "syscall", sys);
	}
	journal_write(c->journal, jb_end(&b));
}

void exec_rec_calls(const struct fs_exec_ctx *c, const char *name, char *const *argv,
		    const struct exec_run_out *clean, unsigned swept)
{
	size_t cap = 64 * 1024, o = 0;
	char *calls = malloc(cap), *cmd = malloc(4096), sys[64], st[32];
	struct jb *b = malloc(sizeof(*b));
	unsigned i;

	if (!calls || !cmd || !b)
		goto out;
	calls[o++] = '[';
	for (i = 0; i < clean->ncalls && clean->calls && o + 80 < cap; i++) {
		if (i)
			calls[o++] = ',';
		o += json_escape(calls + o, cap - o - 2, exec_sys_name(clean->calls[i], sys, sizeof(sys)));
	}
	calls[o++] = ']';
	calls[o] = 0;
	o = 0;
	cmd[o++] = '[';
	for (i = 0; argv[i] && o + 600 < 4096; i++) {
		if (i)
			cmd[o++] = ',';
		o += json_escape(cmd + o, 4096 - o - 2, argv[i]);
	}
	cmd[o++] = ']';
	cmd[o] = 0;
	jb_begin(b);
	jb_str(b, "type", "exec");
	jb_str(b, "run", c->run_id);
	jb_str(b, "name", name);
	jb_raw(b, "command", cmd);
	jb_str(b, "clean_status", exec_status_str(clean->status, st, sizeof(st)));
	jb_double(b, "clean_ms", clean->t_ms);
	jb_uint(b, "invocations", clean->ncalls);
	jb_uint(b, "swept", swept);
	/* Last: a long enumeration may not fit the record; the count above always does. */
	jb_raw(b, "calls", calls);
	journal_write(c->journal, jb_end(b));
out:
	free(calls);
	free(cmd);
	free(b);
}
