/* `faultsweep __worker --fd N --ack-fd N`: a worker exec'd by a supervisor without a zygote. */
#include <getopt.h>
#include <stdio.h>

#include "runner/base/cmdline.h"
#include "runner/base/exitcodes.h"
#include "runner/cli/cli.h"
#include "runner/module/modcase.h"
#include "runner/sweep/worker.h"

int cmd_worker(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fd", required_argument, NULL, 'f' },
		{ "ack-fd", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	int out_fd = -1, ack_fd = -1, c;
	unsigned long v;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
		case 'a':
			if (fs_parse_uint(c == 'f' ? "--fd" : "--ack-fd", optarg, 0, 1 << 20, &v))
				return FS_EXIT_USAGE;
			*(c == 'f' ? &out_fd : &ack_fd) = v;
			break;
		default:
			return FS_EXIT_USAGE;
		}
	}
	if (out_fd < 0 || ack_fd < 0) {
		fprintf(stderr, "faultsweep worker: --fd and --ack-fd are required\n");
		return FS_EXIT_USAGE;
	}
	/* The cases the run made at run time (an exec'd worker does not inherit them). */
	modcase_from_env();
	return wrk_serve(out_fd, ack_fd) ? FS_EXIT_IO : FS_EXIT_OK;
}
