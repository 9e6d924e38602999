/* The coverage map as text for summaries: the denominator, faulted of all sites by scope and directory, top sites. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "reports/coverage/cov.h"

#define TOP_SITES 15
#define TOP_DIRS 25

void cov_pct(const struct cov_group *g, char *buf, size_t len)
{
	if (!g->sweepable)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f %%", 100.0 * g->faulted / g->sweepable);
}

void cov_site_describe(const struct cov_site *s, char *buf, size_t len)
{
	size_t n = 0, i;
	int o;
	const char *alloc = *s->alloc ? s->alloc : "allocation";

	if (s->nsteps) {
		n += snprintf(buf + n, len - n, "faulted %zu time%s (%s):", s->nsteps,
			      s->nsteps == 1 ? "" : "s", alloc);
		for (o = 0; o < COV_NR_OUTCOMES && n < len; o++)
			if (s->outcomes[o])
				n += snprintf(buf + n, len - n, " %s %u", cov_outcome_str(o),
					      s->outcomes[o]);
		for (i = 0; i < s->nkinds && n < len; i++)
			n += snprintf(buf + n, len - n, "%s%s x%u", i ? ", " : "; findings: ",
				      s->kinds[i].name, s->kinds[i].n);
		if (!s->listed && n < len)
			snprintf(buf + n, len - n, " (not in the static list)");
		else if (s->contradicted && n < len)
			snprintf(buf + n, len - n, " (the static list called it unreachable)");
		return;
	}
	switch (s->reach) {
	case COV_REACH_NOFAIL:
		snprintf(buf, len, "not counted: %s with __GFP_NOFAIL (gfp 0x%x): fail-nth never "
			 "fails it", alloc, s->gfp);
		break;
	case COV_REACH_BOOT_ONLY:
		snprintf(buf, len, "not counted: %s in .init.text, run at boot before any sweep",
			 alloc);
		break;
	case COV_REACH_NOT_INJECTED:
		snprintf(buf, len, "not counted: %s (%s) fails only under a fault type the run "
			 "did not inject", alloc, s->family);
		break;
	default:
		snprintf(buf, len, "never faulted (%s, %s)%s", alloc, s->family,
			 s->tail ? ": a tail call, a fault shows at the callers" : "");
	}
}

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
	fprintf(f, "  %5zu  %-28s %-30s %-16s %-15s %s\n", s->nsteps,
		*s->loc.scope ? s->loc.scope : s->loc.func, where,
		*s->module ? s->module : "vmlinux", s->nfaults ? s->faults[0] : "", out);
	for (i = 0; i < s->nkinds; i++)
		fprintf(f, "  %5s  %*s finding: %s x%u\n", "", 28, "", s->kinds[i].name,
			s->kinds[i].n);
}

static void group_line(FILE *f, const char *lead, const struct cov_group *g)
{
	char pct[32];

	cov_pct(g, pct, sizeof(pct));
	fprintf(f, "%s%u of %u allocation sites faulted (%s)", lead, g->faulted, g->sweepable, pct);
	if (g->sites > g->sweepable)
		fprintf(f, "; %u more not counted (%u __GFP_NOFAIL, %u boot-only, %u not injected)",
			g->sites - g->sweepable, g->reach[COV_REACH_NOFAIL],
			g->reach[COV_REACH_BOOT_ONLY], g->reach[COV_REACH_NOT_INJECTED]);
	fputc('\n', f);
}

static void denominator(const struct cov_map *m, FILE *f)
{
	size_t i;

	if (!m->ndenoms) {
		fprintf(f, "coverage: no static list of allocation sites (no file in scope)\n");
		return;
	}
	fprintf(f, "coverage: all allocation sites from the DWARF of");
	for (i = 0; i < m->ndenoms; i++) {
		const struct cov_denom *d = &m->denoms[i];
		const char *name = *d->module ? d->module : "vmlinux";

		if (!d->ok)
			fprintf(f, "%s %s (%s)", i ? "," : "", name, d->note);
		else if (d->cached)
			fprintf(f, "%s %s (%zu, cached)", i ? "," : "", name, d->sites);
		else
			fprintf(f, "%s %s (%zu, scanned in %.1f s)", i ? "," : "", name, d->sites,
				d->scan_s);
	}
	fputc('\n', f);
}

int cov_summary_text(const struct cov_map *m, FILE *f)
{
	size_t i, shown = 0, with = 0;
	char lead[SYM_PATH_MAX + 64];

	fprintf(f, "coverage: %zu faulted sites; %llu fired steps, %llu with a site, %llu unresolved %s\n",
		m->nfaulted, (unsigned long long)m->fired_steps,
		(unsigned long long)m->steps_with_site, (unsigned long long)m->unresolved,
		m->patch_records && m->patch_records == m->site_records ?
		"(sites from fail-nth-site)" :
		"(no dump: __GFP_NOWARN allocations and faults outside a dump print none)");
	if (m->no_frame || m->unattributed)
		fprintf(f, "coverage: %llu dumps without a frame outside the allocator, "
			"%llu not attributed to a step\n", (unsigned long long)m->no_frame,
			(unsigned long long)m->unattributed);
	if (m->lost_steps)
		fprintf(f, "coverage: %llu steps ended with their worker or kernel before the "
			"site was read: a site only they hit shows as never faulted\n",
			(unsigned long long)m->lost_steps);
	if (*m->note)
		fprintf(f, "coverage: %s\n", m->note);
	denominator(m, f);
	if (m->total.sites) {
		group_line(f, m->default_scope ?
			   "coverage: in the directories and modules the faults touched: " :
			   "coverage: in scope: ", &m->total);
		if (m->total.unlisted)
			fprintf(f, "coverage: %u faulted sites are not in the static list "
				"(counted, see coverage.json)\n", m->total.unlisted);
		for (i = 0; i < m->nscopes && !m->default_scope; i++) {
			snprintf(lead, sizeof(lead), "coverage: scope %s: ", m->scopes[i].name);
			if (m->scopes[i].sites)
				group_line(f, lead, &m->scopes[i]);
			else
				fprintf(f, "%sno allocation site (no directory of the source tree, "
					"no module given to report --modules by that name)\n", lead);
		}
		fprintf(f, "  %-40s %-16s %9s %8s %s\n", "directory", "module", "faulted", "%",
			"not counted");
		for (i = 0; i < m->ndirs && i < TOP_DIRS; i++) {
			const struct cov_group *g = &m->dirs[i];
			char pct[32], frac[32];

			cov_pct(g, pct, sizeof(pct));
			snprintf(frac, sizeof(frac), "%u/%u", g->faulted, g->sweepable);
			fprintf(f, "  %-40s %-16s %9s %8s %u\n", g->name,
				*g->module ? g->module : "vmlinux", frac, pct, g->sites - g->sweepable);
		}
		if (m->ndirs > TOP_DIRS)
			fprintf(f, "  ... %zu more directories in coverage.json\n", m->ndirs - TOP_DIRS);
	}
	if (!m->nfaulted)
		return ferror(f) ? -EIO : 0;
	fprintf(f, "  %5s  %-28s %-30s %-16s %-15s %s\n", "steps", "function", "where", "module",
		"fault", "outcomes");
	for (i = 0; i < m->nfaulted && shown < TOP_SITES; i++, shown++)
		row(&m->sites[i], f);
	if (m->nfaulted > shown)
		fprintf(f, "  ... %zu more in coverage.json\n", m->nfaulted - shown);
	for (i = 0; i < m->nfaulted; i++)
		with += m->sites[i].nkinds > 0;
	if (with) {
		fprintf(f, "coverage: %zu sites with findings:\n", with);
		for (i = 0; i < m->nfaulted; i++)
			if (m->sites[i].nkinds)
				row(&m->sites[i], f);
	}
	return ferror(f) ? -EIO : 0;
}
