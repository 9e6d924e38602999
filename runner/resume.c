/* Reads an earlier journal so a run continues each case where it stopped. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/resume.h"

/* Find "key": outside any string value (a quote inside a value is escaped). */
static const char *find_key(const char *line, const char *key)
{
	char pat[80];
	const char *p = line;
	size_t l;

	l = snprintf(pat, sizeof(pat), "\"%s\":", key);
	while ((p = strstr(p, pat))) {
		if (p == line || p[-1] != '\\')
			return p + l;
		p += l;
	}
	return NULL;
}

int jline_str(const char *line, const char *key, char *out, size_t len)
{
	const char *p = find_key(line, key);
	size_t o = 0;

	if (!p || *p != '"')
		return -ENOENT;
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (o + 1 < len)
			out[o++] = *p;
	}
	if (*p != '"')
		return -EINVAL;
	out[o] = 0;
	return 0;
}

int jline_uint(const char *line, const char *key, unsigned long *out)
{
	const char *p = find_key(line, key);
	char *end;

	if (!p || *p < '0' || *p > '9')
		return -ENOENT;
	*out = strtoul(p, &end, 10);
	return 0;
}

int resume_load(const char *path, struct sup_case *cases, size_t n)
{
	FILE *f = fopen(path, "re");
	char *line = NULL, type[16], name[128], verdict[8];
	size_t cap = 0, i;
	ssize_t len;
	int records = 0, lineno = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while ((len = getline(&line, &cap, f)) > 0) {
		unsigned long nth;

		lineno++;
		if (line[len - 1] != '\n' || line[0] != '{' || !strstr(line, "}")) {
			fprintf(stderr, "faultsweep: %s:%d: cut or garbled record skipped\n", path,
				lineno);
			continue;
		}
		if (jline_str(line, "type", type, sizeof(type)) ||
		    jline_str(line, "case", name, sizeof(name)))
			continue;
		for (i = 0; i < n && strcmp(cases[i].h->name, name); i++)
			;
		if (i == n)
			continue;
		records++;
		if (!strcmp(type, "case")) {
			cases[i].done = true;
			if (!jline_str(line, "verdict", verdict, sizeof(verdict)))
				snprintf(cases[i].verdict, sizeof(cases[i].verdict), "%s", verdict);
			if (!jline_uint(line, "points", &nth))
				cases[i].points = nth;
		} else if (!strcmp(type, "step") && !jline_uint(line, "nth", &nth) &&
			   nth + 1 > cases[i].from) {
			cases[i].from = nth + 1;
		}
	}
	free(line);
	fclose(f);
	return records;
}
