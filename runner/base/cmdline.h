/* What every faultsweep command shares: where faultsweep lives, numeric option values. */
#ifndef FS_CMDLINE_H
#define FS_CMDLINE_H

/**
 * fs_home() - directory holding kernel/, corpus/ and the helper scripts.
 * $FAULTSWEEP_HOME when set, else the source tree the binary was built from.
 */
const char *fs_home(void);

/**
 * fs_parse_uint() - parse a decimal option value, printing a usage error
 * naming @opt when @s is not a number in [min, max]. Returns 0 or -EINVAL.
 */
int fs_parse_uint(const char *opt, const char *s, unsigned long min,
		  unsigned long max, unsigned long *out);

#endif
