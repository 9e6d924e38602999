/* The coverage map's text table for summaries: totals, the most-hit sites, the sites with findings. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "reports/coverage/cov.h"

#define TOP_SITES 15

static const char *base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static void row(const struct cov_site *s, FILE *f)
{
	char where[SYM_PATH_MAX + 16], out[160] = "";
	size_t i, n = 0;
	int o;

	if (s->symbolized)
		snprintf(where, sizeof(where), "%s:%d", base(s->loc.file), s->loc.line);
	else
		snprintf(where, sizeof(where), "%s", s->sym);
	for (o = 0; o < COV_NR_OUTCOMES; o++)
		if (s->outcomes[o] && n < sizeof(out))
			n += snprintf(out + n, sizeof(out) - n, "%s%s=%u", n ? " " : "",
				      cov_outcome_str(o), s->outcomes[o]);
	fprintf(f, "  %5zu  %-28s %-30s %-16s %-15s %s\n", s->nsteps, s->loc.func, where,
		*s->module ? s->module : "vmlinux", s->nfaults ? s->faults[0] : "", out);
	for (i = 0; i < s->nkinds; i++)
		fprintf(f, "  %5s  %*s finding: %s x%u\n", "", 28, "", s->kinds[i].name,
			s->kinds[i].n);
}

int cov_summary_text(const struct cov_map *m, FILE *f)
{
	size_t i, shown = 0, with = 0;

	fprintf(f, "coverage: %zu sites; %llu fired steps, %llu with a site, %llu unresolved %s\n",
		m->nsites, (unsigned long long)m->fired_steps,
		(unsigned long long)m->steps_with_site, (unsigned long long)m->unresolved,
		m->patch_records && m->patch_records == m->site_records ?
		"(sites from fail-nth-site)" :
		"(no dump: __GFP_NOWARN allocations and faults outside a dump print none)");
	if (m->no_frame || m->unattributed)
		fprintf(f, "coverage: %llu dumps without a frame outside the allocator, "
			"%llu not attributed to a step\n", (unsigned long long)m->no_frame,
			(unsigned long long)m->unattributed);
	if (*m->note)
		fprintf(f, "coverage: %s\n", m->note);
	if (!m->nsites)
		return ferror(f) ? -EIO : 0;
	fprintf(f, "  %5s  %-28s %-30s %-16s %-15s %s\n", "steps", "function", "where", "module",
		"fault", "outcomes");
	for (i = 0; i < m->nsites && shown < TOP_SITES; i++, shown++)
		row(&m->sites[i], f);
	if (m->nsites > shown)
		fprintf(f, "  ... %zu more in coverage.json\n", m->nsites - shown);
	for (i = 0; i < m->nsites; i++)
		with += m->sites[i].nkinds > 0;
	if (with) {
		fprintf(f, "coverage: %zu sites with findings:\n", with);
		for (i = 0; i < m->nsites; i++)
			if (m->sites[i].nkinds)
				row(&m->sites[i], f);
	}
	return ferror(f) ? -EIO : 0;
}
