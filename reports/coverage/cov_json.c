/* OUT/coverage/coverage.json: the coverage map, per site and in total. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/coverage/cov.h"
#include "journal/jjson.h"

static void jstr(FILE *f, const char *s)
{
	json_t *v = jjson_str(s);

	if (!v || json_dumpf(v, f, JSON_ENCODE_ANY))
		fputs("\"\"", f);
	json_decref(v);
}

static void key(FILE *f, const char *k, bool *first)
{
	fputs(*first ? "" : ",", f);
	*first = false;
	jstr(f, k);
	fputc(':', f);
}

static void site(FILE *f, const struct cov_site *s)
{
	bool first = true;
	size_t i;

	fputc('{', f);
	key(f, "site", &first);
	jstr(f, s->sym);
	key(f, "function", &first);
	jstr(f, s->loc.func);
	key(f, "module", &first);
	jstr(f, s->module);
	key(f, "file", &first);
	jstr(f, s->symbolized ? s->loc.file : "");
	key(f, "line", &first);
	fprintf(f, "%d", s->symbolized ? s->loc.line : 0);
	if (s->symbolized && *s->loc.scope && strcmp(s->loc.scope, s->loc.func)) {
		key(f, "inlined_in", &first);
		jstr(f, s->loc.scope);
	}
	if (*s->note) {
		key(f, "note", &first);
		jstr(f, s->note);
	}
	key(f, "faults", &first);
	fputc('[', f);
	for (i = 0; i < (size_t)s->nfaults; i++) {
		fputs(i ? "," : "", f);
		jstr(f, s->faults[i]);
	}
	fputc(']', f);
	key(f, "steps", &first);
	fprintf(f, "%zu", s->nsteps);
	key(f, "cases", &first);
	fputc('[', f);
	for (i = 0; i < s->nsteps; i++) {
		fputs(i ? ",{\"case\":" : "{\"case\":", f);
		jstr(f, s->steps[i].case_name);
		fprintf(f, ",\"nth\":%llu}", (unsigned long long)s->steps[i].nth);
	}
	fputc(']', f);
	key(f, "outcomes", &first);
	fputc('{', f);
	for (i = 0; i < COV_NR_OUTCOMES; i++)
		fprintf(f, "%s\"%s\":%u", i ? "," : "", cov_outcome_str(i), s->outcomes[i]);
	fputc('}', f);
	key(f, "findings", &first);
	fputc('{', f);
	for (i = 0; i < s->nkinds; i++) {
		fputs(i ? "," : "", f);
		jstr(f, s->kinds[i].name);
		fprintf(f, ":%u", s->kinds[i].n);
	}
	fputs("}}", f);
}

int cov_write_json(const struct cov_map *m, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t i;
	int err = 0;

	if (!f)
		return -errno;
	fprintf(f, "{\"totals\":{\"fired_steps\":%llu,\"steps_with_site\":%llu,"
		"\"unresolved\":%llu,\"sites\":%zu,\"site_records\":%llu,"
		"\"patch_site_records\":%llu,"
		"\"dumps_without_site_frame\":%llu,\"unattributed\":%llu},\n",
		(unsigned long long)m->fired_steps, (unsigned long long)m->steps_with_site,
		(unsigned long long)m->unresolved, m->nsites, (unsigned long long)m->site_records,
		(unsigned long long)m->patch_records,
		(unsigned long long)m->no_frame, (unsigned long long)m->unattributed);
	fputs("\"coverage_run\":", f);
	fputs(m->coverage_on ? "true" : "false", f);
	fputs(",\"vmlinux\":", f);
	jstr(f, m->vmlinux);
	fputs(",\"kernel_build\":", f);
	jstr(f, m->kernel_build);
	fputs(",\"note\":", f);
	jstr(f, m->note);
	fputs(",\n\"lcov_branches\":[", f);
	for (i = 0; i < COV_NR_OUTCOMES; i++) {
		fputs(i ? "," : "", f);
		jstr(f, cov_outcome_str(i));
	}
	fputs("],\n\"sites\":[", f);
	for (i = 0; i < m->nsites; i++) {
		fputs(i ? ",\n" : "\n", f);
		site(f, &m->sites[i]);
	}
	fputs("\n]}\n", f);
	if (ferror(f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}
