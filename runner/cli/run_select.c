/* What a run sweeps: the cases of the patterns, of --module, or of the corpus and its scenarios. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/base/cmdline.h"
#include "runner/cli/cli.h"
#include "runner/corpus/corpus.h"
#include "runner/module/modcase.h"
#include "harness/registry.h"
#include "runner/cli/run.h"
#include "runner/cli/run_scn.h"
#include "runner/sweep/sup.h"

/*
 * Module scenarios become the module's load and unload cases (runnable
 * ones only: a scenario with an unset $VAR is CONF, journaled by the run).
 */
static int register_scenarios(const struct run_opts *ro, struct fs_scenario_list *sl,
			      struct fs_pattern_list *pl)
{
	int i, ret;

	for (i = 0; i < sl->n; i++) {
		struct fs_scenario *sc = &sl->items[i];
		struct fs_modcase_spec sp = { .ko = sc->module, .params = sc->params,
					      .base = sc->name, .area = sc->area,
					      .no_scope = ro->no_module_scope,
					      .check_release = !ro->vm };
		char names[2][96], why[600];

		if (!*sc->module || *sc->conf)
			continue;
		if (ro->vm)
			continue;	/* registered in the guest, where the kernel is */
		ret = modcase_register(&sp, names, sizeof(names[0]), why, sizeof(why));
		if (ret == -ENOENT) {
			/* A module that is not built here: CONF with the reason, not an error. */
			snprintf(sc->conf, sizeof(sc->conf), "%.250s", why);
			continue;
		}
		if (ret) {
			fprintf(stderr, "%s:%d:1: scenario '%s': %s\n", sc->where, sc->line,
				sc->name, why);
			return -EINVAL;
		}
		corpus_add_pattern(pl, names[0], sc->where, sc->line);
		corpus_add_pattern(pl, names[1], sc->where, sc->line);
	}
	return 0;
}

int run_select(const struct run_opts *ro, struct sup_case **out, size_t *nout,
	       struct fs_scenario_list *sl)
{
	struct fs_pattern_list pl = { 0 };
	struct sup_case *cases = NULL;
	size_t i, n = 0, total;
	int p, ret = 0;

	if (ro->module_ko) {
		struct fs_modcase_spec sp = { .ko = ro->module_ko, .params = ro->module_params,
					      .no_scope = ro->no_module_scope,
					      .check_release = !ro->vm };
		char names[2][96], why[600];

		/* In the guest the vermagic is checked against the running kernel. */
		ret = modcase_register(&sp, names, sizeof(names[0]), why, sizeof(why));
		if (ret) {
			fprintf(stderr, "faultsweep: module: %s\n", why);
			return ret == -EPROTO || ret == -ENOEXEC ? -EINVAL : -ENOENT;
		}
		corpus_add_pattern(&pl, names[0], "--module", 0);
		corpus_add_pattern(&pl, names[1], "--module", 0);
		ret = run_scn_exercise(ro, sl);
		if (!ret)
			ret = run_scn_check(sl);
		if (ret)
			goto out;
	}
	if (ro->npatterns || ro->module_ko) {
		for (p = 0; p < ro->npatterns; p++)
			corpus_add_pattern(&pl, ro->patterns[p], "command line", 0);
	} else {
		char path[PATH_MAX];

		if (ro->corpus)
			snprintf(path, sizeof(path), "%s", ro->corpus);
		else
			snprintf(path, sizeof(path), "%s/corpus/default", fs_home());
		ret = corpus_load(path, &pl, sl);
		if (!ret)
			ret = run_scn_check(sl);
		if (!ret)
			ret = register_scenarios(ro, sl, &pl);
		if (ret)
			goto out;
	}
	total = fs_harness_count();
	cases = calloc(total ? total : 1, sizeof(*cases));
	if (!cases) {
		ret = -ENOMEM;
		goto out;
	}
	for (p = 0; p < pl.n; p++) {
		bool any = false;

		for (i = 0; i < total; i++) {
			const struct fs_harness *h = fs_harness_at(i);
			size_t k;

			if (!reg_matches(h, pl.items[p].pattern))
				continue;
			any = true;
			for (k = 0; k < n && cases[k].h != h; k++)
				;
			if (k == n)
				cases[n++].h = h;
		}
		if (!any) {
			const struct fs_harness *near[5];
			size_t k, m = reg_nearest(pl.items[p].pattern, near, 5);

			fprintf(stderr, "faultsweep run: %s%s%.0d%s no case matches '%s'",
				pl.items[p].where, pl.items[p].line ? ":" : "", pl.items[p].line,
				pl.items[p].line || *pl.items[p].where ? ":" : "", pl.items[p].pattern);
			for (k = 0; k < m; k++)
				fprintf(stderr, "%s%s", k ? ", " : "; nearest: ", near[k]->name);
			fprintf(stderr, "\n(see 'faultsweep list')\n");
			ret = -ENOENT;
		}
	}
	if (!ret) {
		*out = cases;
		*nout = n;
		cases = NULL;
	}
out:
	free(cases);
	corpus_free(&pl);
	return ret;
}
