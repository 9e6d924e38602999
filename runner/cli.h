/* Entry points of the faultsweep subcommands and small shared CLI helpers. */
#ifndef FS_CLI_H
#define FS_CLI_H

int cmd_kernel(int argc, char **argv);
int cmd_vm(int argc, char **argv);
int cmd_guest_init(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_module(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_clean(int argc, char **argv);
int cmd_report(int argc, char **argv);

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
