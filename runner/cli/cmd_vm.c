/* `faultsweep vm [options] -- COMMAND`: the options of runner/vm/vm.c's vm_run(). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "runner/base/cmdline.h"
#include "runner/base/exitcodes.h"
#include "runner/cli/cli.h"
#include "runner/vm/vm.h"

static const char usage[] =
	"usage: faultsweep vm [options] -- COMMAND [ARGS...]\n"
	"\n"
	"Boot the test kernel under qemu (KVM when it works, else TCG) with the host\n"
	"root read-only over 9p, run COMMAND as root inside, and exit with its status.\n"
	"\n"
	"  --kernel BZIMAGE   kernel to boot (default: the cached 'faultsweep kernel build')\n"
	"  --smp N            vCPUs (default: host CPUs)\n"
	"  --mem MB           guest memory (default 2048)\n"
	"  --timeout S        kill the VM after S seconds (default: none)\n"
	"  --boot-timeout S   give up if COMMAND has not started after S s (default 120)\n"
	"  --out DIR          host directory shared writable at the same path (default out)\n"
	"  --append ARGS      extra kernel command line\n"
	"  --loglevel N       console loglevel (default 4; /dev/kmsg always has everything)\n"
	"  --kvm / --no-kvm   force or forbid KVM (default: probe it)\n"
	"  --env NAME=VALUE   set an environment variable for COMMAND\n"
	"  -q, --quiet        no progress lines\n"
	"\n"
	"Exit: COMMAND's status; 120 kernel panic, 121 no boot, 122 no status,\n"
	"124 timeout, 130 interrupted (docs/exit-codes.md).\n";

int cmd_vm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "smp", required_argument, NULL, 's' },
		{ "mem", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "boot-timeout", required_argument, NULL, 'b' },
		{ "out", required_argument, NULL, 'o' },
		{ "append", required_argument, NULL, 'a' },
		{ "loglevel", required_argument, NULL, 'l' },
		{ "kvm", no_argument, NULL, 'K' },
		{ "no-kvm", no_argument, NULL, 'N' },
		{ "env", required_argument, NULL, 'e' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fs_vm_opts o = {
		.out = "out", .mem_mb = 2048, .boot_timeout_s = 120, .loglevel = 4, .kvm = -1,
	};
	char *env[32];
	unsigned long v;
	int c;

	o.env = env;
	while ((c = getopt_long(argc, argv, "+hq", opts, NULL)) != -1) {
		switch (c) {
		case 'k': o.kernel = optarg; break;
		case 'o': o.out = optarg; break;
		case 'a': o.append = optarg; break;
		case 'K': o.kvm = 1; break;
		case 'N': o.kvm = 0; break;
		case 'q': o.quiet = true; break;
		case 'e':
			if (!strchr(optarg, '=') || o.envc >= 32) {
				fprintf(stderr, "faultsweep vm: --env %s: want NAME=VALUE\n", optarg);
				return FS_EXIT_USAGE;
			}
			env[o.envc++] = optarg;
			break;
		case 's':
			if (fs_parse_uint("--smp", optarg, 1, 64, &v))
				return FS_EXIT_USAGE;
			o.smp = v;
			break;
		case 'm':
			if (fs_parse_uint("--mem", optarg, 256, 1 << 20, &v))
				return FS_EXIT_USAGE;
			o.mem_mb = v;
			break;
		case 't':
			if (fs_parse_uint("--timeout", optarg, 1, 1 << 30, &v))
				return FS_EXIT_USAGE;
			o.timeout_s = v;
			break;
		case 'b':
			if (fs_parse_uint("--boot-timeout", optarg, 1, 1 << 30, &v))
				return FS_EXIT_USAGE;
			o.boot_timeout_s = v;
			break;
		case 'l':
			if (fs_parse_uint("--loglevel", optarg, 0, 8, &v))
				return FS_EXIT_USAGE;
			o.loglevel = v;
			break;
		case 'h':
			fputs(usage, stdout);
			return FS_EXIT_OK;
		default:
			fputs(usage, stderr);
			return FS_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "faultsweep vm: missing COMMAND after --\n\n%s", usage);
		return FS_EXIT_USAGE;
	}
	o.argv = argv + optind;
	o.argc = argc - optind;
	return vm_run(&o);
}
