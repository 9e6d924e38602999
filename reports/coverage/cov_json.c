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
	key(f, "rel", &first);
	jstr(f, s->symbolized ? s->loc.file + s->rel_off : "");
	key(f, "listed", &first);
	fputs(s->listed ? "true" : "false", f);
	key(f, "in_scope", &first);
	fputs(s->in_scope ? "true" : "false", f);
	key(f, "family", &first);
	jstr(f, s->family);
	key(f, "allocator", &first);
	jstr(f, s->alloc);
	key(f, "reach", &first);
	jstr(f, cov_reach_str(s->reach));
	if (s->gfp_known) {
		key(f, "gfp", &first);
		fprintf(f, "\"0x%x\"", s->gfp);
	}
	if (s->tail) {
		key(f, "tail_call", &first);
		fputs("true", f);
	}
	if (s->contradicted) {
		key(f, "listed_unreachable", &first);
		fputs("true", f);
	}
	key(f, "points", &first);
	fprintf(f, "%u", s->points);
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

static void group(FILE *f, const struct cov_group *g)
{
	fputs("{\"name\":", f);
	jstr(f, g->name);
	fputs(",\"module\":", f);
	jstr(f, g->module);
	fprintf(f, ",\"sites\":%u,\"sweepable\":%u,\"faulted\":%u,\"percent\":", g->sites,
		g->sweepable, g->faulted);
	if (g->sweepable)
		fprintf(f, "%.1f", 100.0 * g->faulted / g->sweepable);
	else
		fputs("null", f);
	fprintf(f, ",\"unlisted\":%u,\"not_counted\":{\"nofail\":%u,\"boot-only\":%u,"
		"\"not-injected\":%u}}", g->unlisted, g->reach[COV_REACH_NOFAIL],
		g->reach[COV_REACH_BOOT_ONLY], g->reach[COV_REACH_NOT_INJECTED]);
}

static void groups(FILE *f, const char *name, const struct cov_group *g, size_t n)
{
	size_t i;

	fprintf(f, ",\n\"%s\":[", name);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n" : "\n", f);
		group(f, &g[i]);
	}
	fputs("]", f);
}

static void denominator(FILE *f, const struct cov_map *m)
{
	size_t i;

	fputs(",\n\"denominator\":{\"source\":\"dwarf\",\"root\":", f);
	jstr(f, m->root);
	fputs(",\"faults\":", f);
	jstr(f, m->faults);
	fputs(",\"objects\":[", f);
	for (i = 0; i < m->ndenoms; i++) {
		const struct cov_denom *d = &m->denoms[i];

		fputs(i ? ",{\"module\":" : "{\"module\":", f);
		jstr(f, d->module);
		fputs(",\"path\":", f);
		jstr(f, d->path);
		fputs(",\"build_id\":", f);
		jstr(f, d->build_id);
		fprintf(f, ",\"read\":%s,\"sites\":%zu,\"cached\":%s,\"seconds\":%.2f,"
			"\"functions_partly_described\":%u,\"nofail_known\":%s,\"note\":",
			d->ok ? "true" : "false", d->sites, d->cached ? "true" : "false", d->scan_s,
			d->partial_funcs, d->nofail_known ? "true" : "false");
		jstr(f, d->note);
		fputc('}', f);
	}
	fputs("]},\n\"scope\":{\"default\":", f);
	fputs(m->default_scope ? "true" : "false", f);
	fputs(",\"total\":", f);
	group(f, &m->total);
	fputs("}", f);
	groups(f, "scopes", m->scopes, m->nscopes);
	groups(f, "dirs", m->dirs, m->ndirs);
	groups(f, "files", m->files, m->nfiles);
	groups(f, "functions", m->funcs, m->nfuncs);
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
		"\"dumps_without_site_frame\":%llu,\"unattributed\":%llu,"
		"\"never_faulted_sites\":%zu,\"repicked\":%llu,\"tail_mapped\":%llu,"
		"\"steps_lost\":%llu},\n",
		(unsigned long long)m->fired_steps, (unsigned long long)m->steps_with_site,
		(unsigned long long)m->unresolved, m->nfaulted, (unsigned long long)m->site_records,
		(unsigned long long)m->patch_records,
		(unsigned long long)m->no_frame, (unsigned long long)m->unattributed,
		m->nsites - m->nfaulted, (unsigned long long)m->repicked,
		(unsigned long long)m->tail_mapped, (unsigned long long)m->lost_steps);
	fputs("\"coverage_run\":", f);
	fputs(m->coverage_on ? "true" : "false", f);
	fputs(",\"vmlinux\":", f);
	jstr(f, m->vmlinux);
	fputs(",\"kernel_build\":", f);
	jstr(f, m->kernel_build);
	fputs(",\"note\":", f);
	jstr(f, m->note);
	denominator(f, m);
	fputs(",\n\"sites\":[", f);
	for (i = 0; i < m->nfaulted; i++) {
		fputs(i ? ",\n" : "\n", f);
		site(f, &m->sites[i]);
	}
	fputs("\n],\n\"never_faulted\":[", f);
	for (i = m->nfaulted; i < m->nsites; i++) {
		fputs(i > m->nfaulted ? ",\n" : "\n", f);
		site(f, &m->sites[i]);
	}
	fputs("\n]}\n", f);
	if (ferror(f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}
