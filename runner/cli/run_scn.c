/* Sweeps the program scenarios of a run (corpus exec scenarios, module exercises) with the exec engine. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/exec/exec_sys.h"
#include "runner/module/modinfo.h"
#include "runner/cli/run.h"
#include "journal/run_journal.h"
#include "runner/cli/run_scn.h"

int run_scn_exercise(const struct run_opts *ro, struct fs_scenario_list *sl)
{
	char err[128], unset[128], mname[64], why[256];
	struct fs_modinfo mi;
	struct fs_scenario *sc;
	int col = 0, n;

	if (!ro->exercise || !ro->module_ko)
		return 0;
	if (modinfo_read(ro->module_ko, &mi, why, sizeof(why)))
		snprintf(mi.name, sizeof(mi.name), "module");
	snprintf(mname, sizeof(mname), "module_%.50s", mi.name);
	sc = scn_begin(sl, mname, "--exercise", 0);
	if (!sc)
		return -ENOMEM;
	n = scn_split(ro->exercise, &sc->argv, unset, sizeof(unset), err, sizeof(err), &col);
	if (n <= 0) {
		if (n)
			fprintf(stderr, "faultsweep: --exercise: %s (column %d)\n", err, col);
		else
			fprintf(stderr, "faultsweep: --exercise: an empty command\n");
		scn_free_words(sc->argv);
		sc->argv = NULL;
		sl->n--;
		return n ? n : -EINVAL;
	}
	sc->argc = n;
	sc->exercise = true;
	snprintf(sc->area, sizeof(sc->area), "module");
	snprintf(sc->module, sizeof(sc->module), "%s", ro->module_ko);
	snprintf(sc->params, sizeof(sc->params), "%s", ro->module_params ? ro->module_params : "");
	if (ro->syscalls && snprintf(sc->syscalls, sizeof(sc->syscalls), "%s", ro->syscalls) >=
	    (int)sizeof(sc->syscalls)) {
		fprintf(stderr, "faultsweep: --syscalls: longer than %zu characters\n",
			sizeof(sc->syscalls) - 1);
		return -EINVAL;
	}
	return 0;
}

int run_scn_check(const struct fs_scenario_list *sl)
{
	struct exec_sysset set;
	char why[256];
	int i, ret = 0;

	for (i = 0; i < sl->n; i++) {
		const struct fs_scenario *sc = &sl->items[i];
		char path[PATH_MAX];

		/* A program that is not there is a mistake of the corpus, found now. */
		if (sc->argv && sc->argc && !*sc->conf &&
		    exec_resolve(sc->argv[0], path, sizeof(path), why, sizeof(why))) {
			fprintf(stderr, "%s:%d:1: scenario '%s': %s\n", sc->where, sc->line,
				sc->name, why);
			ret = -EINVAL;
			continue;
		}
		if (!*sc->syscalls || !exec_sys_parse(sc->syscalls, &set, why, sizeof(why)))
			continue;
		if (sc->line)
			fprintf(stderr, "%s:%d:1: scenario '%s': syscalls: %s\n", sc->where,
				sc->line, sc->name, why);
		else
			fprintf(stderr, "faultsweep: --syscalls: %s\n", why);
		ret = -EINVAL;
	}
	return ret;
}


/* A shell word for @s: '...' with ' written as '\''. */
static void sh_quote(char *dst, size_t len, const char *s)
{
	size_t n = 0;

	if (n + 1 < len)
		dst[n++] = '\'';
	for (; *s && n + 5 < len; s++) {
		if (*s == '\'') {
			memcpy(dst + n, "'\\''", 4);
			n += 4;
		} else {
			dst[n++] = *s;
		}
	}
	if (n + 1 < len)
		dst[n++] = '\'';
	dst[n] = 0;
}

/*
 * A module's exercise runs with the module loaded afresh for every run of
 * the program (insmod in its setup, rmmod in its cleanup): each (k, N)
 * starts from the same module state.
 */
static int exercise_cmds(const struct fs_scenario *sc, char *setup, size_t slen,
			 char *cleanup, size_t clen, char *why, size_t wlen)
{
	char ko[PATH_MAX * 2], params[2048] = "", word[1100];
	struct fs_modinfo mi;
	char *save = NULL, *p, copy[1024];
	int ret = modinfo_read(sc->module, &mi, why, wlen);

	if (ret)
		return ret;
	sh_quote(ko, sizeof(ko), sc->module);
	snprintf(copy, sizeof(copy), "%s", sc->params);
	for (p = strtok_r(copy, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		sh_quote(word, sizeof(word), p);
		snprintf(params + strlen(params), sizeof(params) - strlen(params), " %s", word);
	}
	if ((size_t)snprintf(setup, slen, "insmod %s%s%s%s%s", ko, params,
			     sc->setup ? " && { " : "", sc->setup ? sc->setup : "",
			     sc->setup ? "; }" : "") >= slen ||
	    (size_t)snprintf(cleanup, clen, "%s%s%srmmod %s", sc->cleanup ? "{ " : "",
			     sc->cleanup ? sc->cleanup : "", sc->cleanup ? "; }; " : "",
			     mi.name) >= clen) {
		snprintf(why, wlen, "the module's path, parameters and setup are too long");
		return -ENAMETOOLONG;
	}
	return 0;
}

int run_scn_sweep(const struct fs_scenario_list *sl, const struct run_opts *ro, bool sites,
		  const struct fs_exec_ctx *ctx, const char *resume_journal,
		  struct run_scn_result *r)
{
	char setup[4096], cleanup[2048], why[512], text[700], name[64];
	int i, ret = 0;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < sl->n && !*ctx->stop; i++) {
		const struct fs_scenario *sc = &sl->items[i];
		struct fs_exec_opts o = {
			.argv = sc->argv, .syscalls = *sc->syscalls ? sc->syscalls : NULL,
			.max_calls = sc->max_calls, .max_nth = ro->max_nth,
			.timeout_s = sc->timeout_s ? (unsigned)sc->timeout_s : ro->timeout_s,
			.setup = sc->setup, .cleanup = sc->cleanup, .expect_exit = sc->expect_exit,
			.area = sc->area, .name = sc->name, .sites = sites, .quiet = ro->quiet,
		};
		struct fs_exec_result res;

		if (!sc->argv || *sc->conf)
			continue;
		if (sc->exercise) {
			snprintf(name, sizeof(name), "%.50s_exercise", sc->name);
			o.name = name;
			if (exercise_cmds(sc, setup, sizeof(setup), cleanup, sizeof(cleanup), why,
					  sizeof(why))) {
				snprintf(text, sizeof(text), "scenario %s: exercise not swept: %s",
					 sc->name, why);
				run_journal_note(ctx->journal, ctx->run_id, "%s", text);
				r->skipped++;
				continue;
			}
			o.setup = setup;
			o.cleanup = cleanup;
		}
		/* --resume: the engine skips finished invocations, goes on after the last N. */
		o.resume = resume_journal;
		ret = exec_sweep(&o, ctx, &res);
		if (ret) {
			snprintf(text, sizeof(text), "scenario %s: not swept: %s", o.name,
				 strerror(-ret));
			run_journal_note(ctx->journal, ctx->run_id, "%s", text);
			r->broks++;
			ret = 0;
			continue;
		}
		r->swept++;
		r->steps += res.steps;
		r->fails += res.fails;
		r->broks += res.broks;
	}
	return ret;
}
