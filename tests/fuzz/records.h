/* Splitting a text of /dev/kmsg records as read(2) returns them one by one: for the fuzz targets and the attribution's unit test. */
#ifndef FS_TEST_RECORDS_H
#define FS_TEST_RECORDS_H

#include <string.h>

/*
 * The end of the record that starts at @s in the text ending at @end: its
 * first newline not followed by a " KEY=value" dictionary line, else @end.
 */
static inline const char *records_end(const char *s, const char *end)
{
	const char *e = s;

	for (;;) {
		e = memchr(e, '\n', (size_t)(end - e));
		if (!e || e + 1 >= end || e[1] != ' ')
			break;
		e++;
	}
	return e ? e : end;
}

#endif
