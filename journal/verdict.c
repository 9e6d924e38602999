/* The verdict names and the case-verdict rule. */
#include "journal/verdict.h"

const char *fs_verdict_name(enum fs_verdict_kind k)
{
	static const char *const names[] = { "PASS", "FAIL", "BROK", "CONF" };

	return k <= FS_CONF ? names[k] : "BROK";
}

enum fs_verdict_kind fs_case_verdict(const struct fs_case_tally *t)
{
	if (t->fails || t->kreports)
		return FS_FAIL;
	if (t->broks)
		return FS_BROK;
	return t->conf ? FS_CONF : FS_PASS;
}
