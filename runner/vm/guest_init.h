/*
 * The test VM's PID 1 (guest_init.c): linked -static alone into
 * faultsweep-init (init_main.c), and run by faultsweep's main() when the
 * kernel starts faultsweep itself as init (no faultsweep-init beside it).
 */
#ifndef FS_GUEST_INIT_H
#define FS_GUEST_INIT_H

/**
 * vm_guest_init() - mount the guest's filesystems, run the COMMAND the host
 * wrote to the control share (runner/vm/vm.h), write its exit status there
 * and power off. Never returns.
 */
int vm_guest_init(int argc, char **argv);

#endif
