/* A minimal assertion kit for unit tests: CHECK() counts, check_summary() prints "N passed, N failed". */
#ifndef FS_CHECK_H
#define FS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_pass, check_fail;

#define CHECK(cond) do {                                                        \
	if (cond) {                                                             \
		check_pass++;                                                   \
	} else {                                                                \
		check_fail++;                                                   \
		fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
	}                                                                       \
} while (0)

#define CHECK_STR(a, b) do {                                                    \
	const char *__a = (a), *__b = (b);                                      \
	if (__a && __b && !strcmp(__a, __b)) {                                  \
		check_pass++;                                                   \
	} else {                                                                \
		check_fail++;                                                   \
		fprintf(stderr, "%s:%d: CHECK_STR failed: \"%s\" != \"%s\"\n",  \
			__FILE__, __LINE__, __a ? __a : "(null)", __b ? __b : "(null)"); \
	}                                                                       \
} while (0)

/* The whole file @path, NUL-terminated (length in *@len when @len), or NULL. Caller frees. */
static inline char *check_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", check_pass, check_fail);
	return check_fail ? 1 : 0;
}

#endif
