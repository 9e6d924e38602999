/* setsockopt(2): a buffer size, a classic BPF socket filter, and an IPv4 multicast membership. */
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness/harness.h"
#include "harness/net.h"

/* A = packet length; return A: accept everything, but has to be checked and converted. */
static struct sock_filter accept_all[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
	BPF_STMT(BPF_RET | BPF_A, 0),
};

static int setup(struct fs_ctx *c)
{
	c->fd[0] = SAFE_SOCKET(AF_INET, SOCK_DGRAM);
	return 0;
}

/* The option value is kept in c->buf, its length in c->val[0]. */
static int setup_rcvbuf(struct fs_ctx *c)
{
	int size = 1 << 16;

	setup(c);
	memcpy(c->buf, &size, sizeof(size));
	c->val[0] = sizeof(size);
	c->val[1] = SO_RCVBUF;
	return 0;
}

static int setup_filter(struct fs_ctx *c)
{
	struct sock_fprog prog = {
		.len = sizeof(accept_all) / sizeof(accept_all[0]),
		.filter = accept_all,
	};

	setup(c);
	memcpy(c->buf, &prog, sizeof(prog));
	c->val[0] = sizeof(prog);
	c->val[1] = SO_ATTACH_FILTER;
	return 0;
}

/*
 * The group is made from our pid: a membership another worker holds would
 * let the join skip the allocation of the group, and the sweep would not
 * be repeatable.
 */
static int setup_membership(struct fs_ctx *c)
{
	unsigned pid = getpid();
	struct ip_mreqn mr = {
		.imr_multiaddr.s_addr = htonl(0xef800000u | (pid & 0x7fffff)),
		.imr_address.s_addr = htonl(INADDR_ANY),
		.imr_ifindex = if_nametoindex("lo"),
	};

	if (!mr.imr_ifindex)
		fs_broken(__FILE__, __LINE__, errno, "if_nametoindex(\"lo\")");
	setup(c);
	memcpy(c->buf, &mr, sizeof(mr));
	c->val[0] = sizeof(mr);
	return 0;
}

static long call_sol_socket(struct fs_ctx *c)
{
	return setsockopt(c->fd[0], SOL_SOCKET, c->val[1], c->buf, c->val[0]);
}

static long call_membership(struct fs_ctx *c)
{
	return setsockopt(c->fd[0], IPPROTO_IP, IP_ADD_MEMBERSHIP, c->buf, c->val[0]);
}

static void teardown(struct fs_ctx *c)
{
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

FS_HARNESS(setsockopt_so_rcvbuf) = {
	.area     = "net",
	.setup    = setup_rcvbuf,
	.call     = call_sol_socket,
	.teardown = teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};

FS_HARNESS(setsockopt_attach_filter) = {
	.area     = "net",
	.setup    = setup_filter,
	.call     = call_sol_socket,
	.teardown = teardown,
	.errnos   = NULL,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};

/* ip(7) documents ENOBUFS beside ENOMEM; the membership comes from the socket's option memory. */
FS_HARNESS(setsockopt_ip_add_membership) = {
	.area     = "net",
	.setup    = setup_membership,
	.call     = call_membership,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(ENOBUFS),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_INET"),
};
