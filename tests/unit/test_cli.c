/*
 * Unit tests of the command table (runner/cli/commands.c): every command is
 * found by its name, `faultsweep --help` lists the visible ones (one line
 * each, within 80 columns) and never the hidden ones, and docs/cli.md has a
 * section for each listed command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/cli/cli.h"
#include "tests/unit/check.h"

static char *usage_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	cli_usage(f);
	fclose(f);
	return buf;
}

static void test_find(void)
{
	size_t i, j;

	CHECK(cli_ncmds >= 9);
	for (i = 0; i < cli_ncmds; i++) {
		CHECK(cli_find(cli_cmds[i].name) == &cli_cmds[i]);
		CHECK(cli_cmds[i].run && *cli_cmds[i].help && cli_cmds[i].args);
		for (j = 0; j < i; j++)
			CHECK(strcmp(cli_cmds[i].name, cli_cmds[j].name) != 0);
	}
	CHECK(cli_find("nope") == NULL);
	CHECK(cli_find("") == NULL);
	CHECK(cli_find("__worker") && (cli_find("__worker")->flags & CLI_HIDDEN));
	CHECK(cli_find("__clean") && (cli_find("__clean")->flags & CLI_HIDDEN));
	CHECK(cli_find("run") && !(cli_find("run")->flags & CLI_HIDDEN));
}

static void test_usage(void)
{
	char *u = usage_text(), *doc = check_slurp(FS_SOURCE_DIR "/docs/cli.md", NULL);
	const char *line;
	size_t i;

	CHECK(u != NULL && doc != NULL);
	if (!u || !doc)
		goto out;
	CHECK(!strncmp(u, "usage: faultsweep <command> [options]\n\n", 39));
	for (i = 0; i < cli_ncmds; i++) {
		const struct cli_cmd *c = &cli_cmds[i];
		char want[160], head[64];

		snprintf(want, sizeof(want), "\n  %s %s ", c->name, c->args);
		if (c->flags & CLI_HIDDEN) {
			CHECK(strstr(u, c->name) == NULL);
			continue;
		}
		line = strstr(u, want);
		CHECK(line != NULL);
		if (line) {
			const char *end = strchr(line + 1, '\n');

			CHECK(end && (size_t)(end - line - 1) <= 80);
			CHECK(end && !strncmp(end - strlen(c->help), c->help, strlen(c->help)));
		}
		snprintf(head, sizeof(head), "\n## %s\n", c->name);
		CHECK(strstr(doc, head) != NULL);
	}
	/* The one-liner of a command faultsweep runs today. */
	CHECK(strstr(u, "\n  run [options] [PATTERN...]   sweep every fault point of the "
		     "matching cases\n") != NULL);
out:
	free(u);
	free(doc);
}

int main(void)
{
	test_find();
	test_usage();
	return check_summary();
}
