/* The worker's side of SAFE(): a failure ends the step as BROK or CONF (harness/harness_lib.c has the other helpers). */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"
#include "runner/sweep/worker.h"

void fs_broken(const char *file, int line, int err, const char *fmt, ...)
{
	char what[120];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	wrk_abandon(WRK_ABANDON_BROK, file, line, err, what);
}

void fs_conf(const char *file, int line, const char *why)
{
	wrk_abandon(WRK_ABANDON_CONF, file, line, 0, why);
}
