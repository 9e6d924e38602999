/* Reads /proc/config.gz through zcat so CONF verdicts can name the missing option. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/inject/kconfig.h"

static char **opts;
static size_t nopts;
static int state;	/* 0 unread, 1 loaded, -1 unavailable */

int kconfig_load(void)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *p;

	if (state)
		return state > 0 ? 0 : -ENOENT;
	state = -1;
	if (access("/proc/config.gz", R_OK))
		return -ENOENT;
	p = popen("zcat /proc/config.gz 2>/dev/null", "r");
	if (!p)
		return -ENOENT;
	while (getline(&line, &cap, p) > 0) {
		char **grown;
		size_t l = strlen(line);

		if (strncmp(line, "CONFIG_", 7) || l < 3 || !(strstr(line, "=y") || strstr(line, "=m")))
			continue;
		line[strcspn(line, "=")] = 0;
		grown = realloc(opts, (nopts + 1) * sizeof(*opts));
		if (!grown)
			break;
		opts = grown;
		opts[nopts] = strdup(line);
		if (opts[nopts])
			nopts++;
	}
	free(line);
	if (pclose(p) == 0 && nopts)
		state = 1;
	return state > 0 ? 0 : -ENOENT;
}

bool kconfig_known(void)
{
	return kconfig_load() == 0;
}

bool kconfig_enabled(const char *opt)
{
	size_t i;

	if (kconfig_load())
		return true;
	for (i = 0; i < nopts; i++)
		if (!strcmp(opts[i], opt))
			return true;
	return false;
}
