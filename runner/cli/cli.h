/* Entry points of the faultsweep subcommands. */
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

#endif
