/* execve(2) of a file no binary format claims: everything up to the point of no return, safely. */
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "harness/harness.h"

/*
 * An execve() that succeeds replaces the worker, and a failure after the
 * point of no return kills it, so the case must never get that far. A
 * file that no binfmt recognises does not: the kernel builds the whole
 * bprm (new mm, argument pages, the opened file, credentials) and then
 * gives up with ENOEXEC before anything of the caller is torn down. The
 * text starts with printable bytes, so no binfmt-XXXX module is requested
 * either. call() reports that ENOEXEC as success, which also makes the
 * retry oracle meaningful: after a faulted attempt the kernel must again
 * get all the way to the binfmt search.
 */
static int setup(struct fs_ctx *c)
{
	struct statvfs st;

	SAFE(statvfs(c->dir, &st));
	if (st.f_flag & ST_NOEXEC)
		FS_CONF("the private directory is on a noexec mount");
	fs_write_file(fs_path(c, 0, "noformat"), "faultsweep: no binary format claims this\n");
	SAFE(chmod(c->path[0], 0755));
	return 0;
}

static long call(struct fs_ctx *c)
{
	char *const argv[] = { c->path[0], "--faultsweep", NULL };
	char *const envp[] = { "FAULTSWEEP=1", NULL };

	if (execve(c->path[0], argv, envp) < 0 && errno == ENOEXEC)
		return 0;
	return -1;
}

FS_HARNESS(execve_noformat) = {
	.area     = "process",
	.setup    = setup,
	.call     = call,
};
