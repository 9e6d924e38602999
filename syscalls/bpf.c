/* bpf(2): creating array and hash maps, updating a hash map, loading a trivial socket filter. */
#include <linux/bpf.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/harness.h"

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* The retry oracle may create a second object: each fd gets its own slot. */
static long keep_fd(struct fs_ctx *c, long fd)
{
	int i = c->fd[0] < 0 ? 0 : 1;

	if (fd >= 0)
		c->fd[i] = fd;
	return fd;
}

static long map_create(int type, unsigned key_size, unsigned flags, unsigned max_entries)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key_size;
	attr.value_size = sizeof(long);
	attr.max_entries = max_entries;
	attr.map_flags = flags;
	return sys_bpf(BPF_MAP_CREATE, &attr);
}

static long call_array(struct fs_ctx *c)
{
	return keep_fd(c, map_create(BPF_MAP_TYPE_ARRAY, sizeof(int), 0, 16));
}

/* Preallocated: every element is allocated by the create call itself. */
static long call_hash(struct fs_ctx *c)
{
	return keep_fd(c, map_create(BPF_MAP_TYPE_HASH, sizeof(long), 0, 64));
}

/*
 * Not preallocated, so the update has to find an element; the kernel also
 * copies key and value into fresh buffers before looking.
 */
static int setup_update(struct fs_ctx *c)
{
	c->fd[0] = SAFE(map_create(BPF_MAP_TYPE_HASH, sizeof(long), BPF_F_NO_PREALLOC, 64));
	c->val[0] = 1;
	c->val[1] = 42;
	return 0;
}

static long call_update(struct fs_ctx *c)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = c->fd[0];
	attr.key = (uintptr_t)&c->val[0];
	attr.value = (uintptr_t)&c->val[1];
	attr.flags = BPF_ANY;
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &attr);
}

/* r0 = 0; exit */
static const struct bpf_insn return_zero[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static long call_prog_load(struct fs_ctx *c)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insn_cnt = sizeof(return_zero) / sizeof(return_zero[0]);
	attr.insns = (uintptr_t)return_zero;
	attr.license = (uintptr_t)"GPL";
	return keep_fd(c, sys_bpf(BPF_PROG_LOAD, &attr));
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

FS_HARNESS(bpf_map_create_array) = {
	.area     = "bpf",
	.call     = call_array,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_BPF_SYSCALL"),
};

FS_HARNESS(bpf_map_create_hash) = {
	.area     = "bpf",
	.call     = call_hash,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_BPF_SYSCALL"),
};

FS_HARNESS(bpf_map_update_elem) = {
	.area     = "bpf",
	.setup    = setup_update,
	.call     = call_update,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_BPF_SYSCALL"),
};

FS_HARNESS(bpf_prog_load) = {
	.area     = "bpf",
	.call     = call_prog_load,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_BPF_SYSCALL"),
};
