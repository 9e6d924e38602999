/* The run header and note records of a journal, for run and exec alike. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <time.h>

#include "journal/jjson.h"
#include "journal/run_journal.h"

int run_journal_header(struct journal *j, const struct run_header *h)
{
	const char *kbuild = getenv("FS_KERNEL_BUILD");
	char modbuild[PATH_MAX], real[PATH_MAX];
	struct utsname u;
	struct jo b;

	uname(&u);
	/* Where report finds vmlinux: from run --vm, else this kernel's build link. */
	if (!kbuild || !*kbuild) {
		snprintf(modbuild, sizeof(modbuild), "/lib/modules/%s/build", u.release);
		kbuild = realpath(modbuild, real) ? real : "";
	}
	jo_begin(&b, "run");
	jo_str(&b, "run", h->run_id);
	jo_str(&b, "version", FS_VERSION);
	jo_str(&b, "kernel", u.release);
	jo_str(&b, "faults", h->faults);
	jo_int(&b, "jobs", h->jobs);
	jo_int(&b, "cases", (int64_t)h->ncases);
	jo_bool(&b, "resume", h->resume);
	jo_bool(&b, "coverage", *h->site_source != 0);
	/* "patch": fail-nth-site read by the workers; "dumps": FAULT_INJECTION dumps. */
	jo_str(&b, "site_source", h->site_source);
	jo_str(&b, "kernel_build", kbuild);
	if (h->command)
		jo_str(&b, "command", h->command);
	jo_int(&b, "ts", (int64_t)time(NULL) * 1000);
	return journal_put(j, &b);
}

int run_journal_note(struct journal *j, const char *run_id, const char *fmt, ...)
{
	char *text;
	struct jo b;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	jo_begin(&b, "note");
	jo_str(&b, "run", run_id);
	jo_str(&b, "text", text);
	free(text);
	return journal_put(j, &b);
}
