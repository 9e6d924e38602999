/*
 * faultsweep-init: the guest's PID 1 as a small static binary, so the boot
 * does not load faultsweep's shared libraries over 9p before COMMAND starts.
 */
#include "runner/vm/guest_init.h"

int main(int argc, char **argv)
{
	return vm_guest_init(argc, argv);
}
