/* The bisect script of a reproducer: reports/repro/repro.sh.in with the step's values filled in. */
#include <errno.h>
#include <string.h>

#include "reports/repro/repro.h"

/* @s as one shell word in single quotes, without control characters. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '\'')
			fputs("'\\''", f);
		else
			fputc(ch < 0x20 || ch == 0x7f ? ' ' : ch, f);
	}
	fputc('\'', f);
}

static void put_comment(FILE *f, const char *prefix, const char *s, const char *suffix)
{
	fputs(prefix, f);
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
	fputs(suffix, f);
}

static void put_titles(FILE *f, const struct jread_step *s)
{
	size_t i;

	for (i = 0; i < s->nfindings; i++)
		put_comment(f, "#   - ", s->findings[i].title, "\n");
	for (i = 0; i < s->nreports; i++)
		put_comment(f, "#   - kernel report: ", s->reports[i].title, "\n");
	if (!s->nfindings && !s->nreports)
		put_comment(f, "#   - verdict ", s->verdict, ", no finding recorded\n");
	fprintf(f, "#   (%s:%lu, run %s)", s->file ? s->file : "journal", s->line, s->run);
}

/* The attached kernel reports' titles, which the script names before it runs. */
static void put_expect(FILE *f, const struct jread_step *s)
{
	char buf[1024] = "";
	size_t i;

	for (i = 0; i < s->nreports; i++) {
		if (i)
			strncat(buf, "; ", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, s->reports[i].title, sizeof(buf) - strlen(buf) - 1);
	}
	put_quoted(f, buf);
}

int repro_write_sh(FILE *f, const struct repro_job *job)
{
	const struct jread_step *s = job->step;
	const char *p = repro_text_sh, *at;

	while ((at = strchr(p, '@'))) {
		const char *end = strchr(at + 1, '@');
		size_t key = end ? (size_t)(end - at - 1) : 0;

		fwrite(p, 1, at - p, f);
		p = at + 1;
		if (!end) {
			fputc('@', f);
			continue;
		}
		if (key == 4 && !strncmp(at + 1, "CASE", 4))
			fputs(s->case_name, f);
		else if (key == 3 && !strncmp(at + 1, "NTH", 3))
			fprintf(f, "%llu", (unsigned long long)s->nth);
		else if (key == 6 && !strncmp(at + 1, "EXPECT", 6))
			put_expect(f, s);
		else if (key == 6 && !strncmp(at + 1, "TITLES", 6))
			put_titles(f, s);
		else if (key == 10 && !strncmp(at + 1, "FAULTSWEEP", 10))
			put_quoted(f, job->faultsweep ? job->faultsweep : "faultsweep");
		else {
			fputc('@', f);
			continue;
		}
		p = end + 1;
	}
	fputs(p, f);
	return ferror(f) ? -EIO : 0;
}
