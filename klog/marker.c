/* The marker lines faultsweep writes into the kernel log: each format's writer and its parser. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "klog/marker.h"

#define PRI "<14>"
#define STEP "faultsweep: step "
#define DONE "faultsweep: done "
#define END "faultsweep: end "
#define MODULE "faultsweep: module "

int marker_step(char *buf, size_t len, const char *case_name, unsigned nth, int pid)
{
	return snprintf(buf, len, PRI STEP "%s %u %d\n", case_name, nth, pid);
}

int marker_done(char *buf, size_t len, const char *case_name, int pid)
{
	return snprintf(buf, len, PRI DONE "%s %d\n", case_name, pid);
}

int marker_end(char *buf, size_t len, uint64_t token, const char *case_name)
{
	return snprintf(buf, len, PRI END "%" PRIu64 " %s\n", token, case_name);
}

int marker_module(char *buf, size_t len, const struct marker_module *m)
{
	return snprintf(buf, len, PRI MODULE "%s 0x%" PRIx64 " 0x%" PRIx64 " %" PRIu64 "\n",
			m->name, m->base, m->text, m->size);
}

/* The rest of @text after @prefix, or NULL. */
static const char *after(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(text, prefix, n) ? NULL : text + n;
}

/* The %…s widths below are the buffers' sizes minus their NULs. */
_Static_assert(MARKER_CASE_MAX == 128, "the case name width in marker_parse()");
_Static_assert(sizeof(((struct marker_module *)0)->name) == 56, "the module name width");

enum marker_kind marker_parse(const char *text, struct marker *m)
{
	unsigned long long token;
	const char *p;
	char end;
	bool ok;

	memset(m, 0, sizeof(*m));
	if (!strncmp(text, PRI, strlen(PRI)))
		text += strlen(PRI);
	if ((p = after(text, STEP))) {
		m->kind = MARKER_STEP;
		ok = sscanf(p, "%127s %u %d", m->case_name, &m->nth, &m->pid) == 3;
	} else if ((p = after(text, DONE))) {
		m->kind = MARKER_DONE;
		ok = sscanf(p, "%127s %d", m->case_name, &m->pid) == 2;
	} else if ((p = after(text, END))) {
		/* The case name is for people reading the log; the token is what counts. */
		m->kind = MARKER_END;
		ok = sscanf(p, "%llu %127s", &token, m->case_name) >= 1;
		m->token = token;
	} else if ((p = after(text, MODULE))) {
		m->kind = MARKER_MODULE;
		ok = sscanf(p, "%55s 0x%" SCNx64 " 0x%" SCNx64 " %" SCNu64 "%c", m->mod.name,
			    &m->mod.base, &m->mod.text, &m->mod.size, &end) >= 4;
	} else {
		ok = false;
	}
	if (!ok)
		memset(m, 0, sizeof(*m));
	return m->kind;
}
