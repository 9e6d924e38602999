/* Where faultsweep lives, and numeric option values: for every command. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "runner/base/cmdline.h"

const char *fs_home(void)
{
	const char *h = getenv("FAULTSWEEP_HOME");

	return h && *h ? h : FS_SOURCE_DIR;
}

int fs_parse_uint(const char *opt, const char *s, unsigned long min,
		  unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max || *s == '-') {
		fprintf(stderr, "faultsweep: %s: '%s' is not a number in [%lu, %lu]\n",
			opt, s, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}
