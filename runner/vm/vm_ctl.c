/*
 * The host side of the control share (runner/vm/vm.h): the argv file the
 * guest's init reads, the fifos of COMMAND's console, and what the guest
 * writes back (started, status).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner/vm/vm_int.h"

static int put(FILE *f, const char *key, const char *val)
{
	return fprintf(f, "%s=%s", key, val) < 0 || fputc(0, f) == EOF ? -EIO : 0;
}

/* A host path under /tmp or /run would be hidden by the guest's tmpfs there. */
static void keep_if_hidden(FILE *f, const char *path)
{
	static const char *const hidden[] = { "/tmp/", "/run/" };
	char top[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		size_t l = strlen(hidden[i]);
		const char *slash;

		if (strncmp(path, hidden[i], l))
			continue;
		slash = strchr(path + l, '/');
		snprintf(top, sizeof(top), "%.*s", slash ? (int)(slash - path) : (int)strlen(path), path);
		put(f, "keep", top);
	}
}

static int write_ctl(const char *ctl, const struct fs_vm_opts *o, const char *out,
		     const char *self)
{
	char path[PATH_MAX], cwd[PATH_MAX];
	FILE *f;
	int i, ret = 0;

	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	snprintf(path, sizeof(path), "%s/%s", ctl, VM_CTL_ARGV);
	f = fopen(path, "we");
	if (!f)
		return -errno;
	ret |= put(f, "cwd", cwd);
	ret |= put(f, "out", out);
	keep_if_hidden(f, cwd);
	keep_if_hidden(f, out);
	keep_if_hidden(f, self);
	for (i = 0; i < o->argc; i++)
		keep_if_hidden(f, o->argv[i]);
	for (i = 0; i < o->envc; i++)
		ret |= put(f, "env", o->env[i]);
	for (i = 0; i < o->argc; i++)
		ret |= put(f, "arg", o->argv[i]);
	if (fclose(f))
		ret = -EIO;
	return ret;
}

int vm_ctl_create(struct vm_boot *b)
{
	char fifo_in[PATH_MAX], fifo_out[PATH_MAX];
	int err;

	snprintf(b->ctl, sizeof(b->ctl), "%s", VM_CTL_TEMPLATE);
	if (!mkdtemp(b->ctl)) {
		err = -errno;
		perror("faultsweep vm: mkdtemp");
		return err;
	}
	b->ctl_made = true;
	snprintf(fifo_in, sizeof(fifo_in), "%s/cmdio.in", b->ctl);
	snprintf(fifo_out, sizeof(fifo_out), "%s/cmdio.out", b->ctl);
	if (write_ctl(b->ctl, b->o, b->out, b->self) || mkfifo(fifo_in, 0600) ||
	    mkfifo(fifo_out, 0600)) {
		err = errno ? -errno : -EIO;
		fprintf(stderr, "faultsweep vm: cannot prepare %s: %s\n", b->ctl, strerror(errno));
		return err;
	}
	/* Non-blocking so open does not wait for qemu; qemu opens both O_RDWR. */
	b->out_fd = open(fifo_out, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	return 0;
}

void vm_ctl_remove(struct vm_boot *b)
{
	static const char *const names[] = { VM_CTL_ARGV, VM_CTL_STARTED, VM_CTL_STATUS,
					      "cmdio.in", "cmdio.out" };
	char p[PATH_MAX];
	size_t i;

	if (!b->ctl_made)
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", b->ctl, names[i]);
		unlink(p);
	}
	rmdir(b->ctl);
	b->ctl_made = false;
}

bool vm_ctl_has(const struct vm_boot *b, const char *name)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", b->ctl, name);
	return access(p, F_OK) == 0;
}

int vm_ctl_status(const struct vm_boot *b, int *st)
{
	char p[PATH_MAX];
	FILE *f;
	int ret = 0;

	snprintf(p, sizeof(p), "%s/%s", b->ctl, VM_CTL_STATUS);
	f = fopen(p, "re");
	if (!f)
		return -errno;
	if (fscanf(f, "%d", st) != 1)
		ret = -EINVAL;
	fclose(f);
	return ret;
}
