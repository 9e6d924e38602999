/* The run header and note records of a journal, for run and exec alike. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <time.h>

#include "journal/run_journal.h"

void run_journal_header(struct journal *j, const struct run_header *h)
{
	const char *kbuild = getenv("FS_KERNEL_BUILD");
	char modbuild[PATH_MAX], real[PATH_MAX];
	struct utsname u;
	struct jb b;

	uname(&u);
	/* Where report finds vmlinux: from run --vm, else this kernel's build link. */
	if (!kbuild || !*kbuild) {
		snprintf(modbuild, sizeof(modbuild), "/lib/modules/%s/build", u.release);
		kbuild = realpath(modbuild, real) ? real : "";
	}
	jb_begin(&b);
	jb_str(&b, "type", "run");
	jb_str(&b, "run", h->run_id);
	jb_str(&b, "version", FS_VERSION);
	jb_str(&b, "kernel", u.release);
	jb_str(&b, "faults", h->faults);
	jb_uint(&b, "jobs", h->jobs);
	jb_uint(&b, "cases", h->ncases);
	jb_bool(&b, "resume", h->resume);
	jb_bool(&b, "coverage", *h->site_source != 0);
	/* "patch": fail-nth-site read by the workers; "dumps": FAULT_INJECTION dumps. */
	jb_str(&b, "site_source", h->site_source);
	jb_str(&b, "kernel_build", kbuild);
	if (h->command)
		jb_str(&b, "command", h->command);
	jb_int(&b, "ts", (int64_t)time(NULL) * 1000);
	journal_write(j, jb_end(&b));
}

void run_journal_note(struct journal *j, const char *run_id, const char *fmt, ...)
{
	char text[600];
	struct jb b;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	jb_begin(&b);
	jb_str(&b, "type", "note");
	jb_str(&b, "run", run_id);
	jb_str(&b, "text", text);
	journal_write(j, jb_end(&b));
}
