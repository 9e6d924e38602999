/* The plain text inside junit.c's testcases (internal): failure bodies and system-out. */
#ifndef FS_JUNIT_TEXT_H
#define FS_JUNIT_TEXT_H

#include <stdio.h>

#include "journal/jread.h"

/** junit_kind() - a report's kind for a failure type, "kernel-report" when none. */
const char *junit_kind(const struct jread_report *r);

/** junit_title() - a report's title, or its kind when it has none. */
const char *junit_title(const struct jread_report *r);

/**
 * junit_titles() - every finding title of @s, then every report title not
 * already among them, one a line, each after @prefix (may be NULL).
 */
void junit_titles(FILE *f, const struct jread_step *s, const char *prefix);

/** junit_report_out() - a kernel report for system-out: its attribution, frames, raw text. */
void junit_report_out(FILE *f, const struct jread_report *r);

/** junit_step_out() - errno, ret, the retry, the site, the console, the reports of @s. */
void junit_step_out(FILE *f, const struct jread_step *s);

/** junit_step_line() - one line on @s for a collapsed testcase. */
void junit_step_line(FILE *f, const struct jread_step *s);

#endif
