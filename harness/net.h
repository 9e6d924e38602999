/*
 * Socket setup for harnesses (syscalls/ net cases), SAFE-style: a helper
 * does not return on failure but reports BROK with the caller's file:line,
 * so a setup reads as straight-line code. Addresses follow docs/harnesses.md:
 * a unix socket is a path in the case's private directory, an inet socket
 * is loopback with port 0 (the kernel picks a free one), never a fixed name.
 * Shared by the runner and every reproducer (reports/repro/repro.c pastes
 * this file and net.c into the .c of a case that includes it).
 */
#ifndef FS_HARNESS_NET_H
#define FS_HARNESS_NET_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "harness/harness.h"

/* The backlog of the listeners SAFE_LISTENER() makes. */
#define FS_BACKLOG 8

/* A socket address of either family, with its length. */
struct fs_sockaddr {
	union {
		struct sockaddr sa;
		struct sockaddr_un sun;
		struct sockaddr_in sin;
	};
	socklen_t len;
};

/** fs_unix_addr() - @a := the unix address <c->dir>/@name (built in c->path[@i]); returns @a. */
struct fs_sockaddr *fs_unix_addr(struct fs_ctx *c, int i, const char *name,
				 struct fs_sockaddr *a);

/** fs_loopback_addr() - @a := 127.0.0.1 port 0; returns @a. */
struct fs_sockaddr *fs_loopback_addr(struct fs_sockaddr *a);

/**
 * fs_keep_addr() - keep @a for the call: its bytes in c->buf, its length in
 * c->val[0] (the call passes `(struct sockaddr *)c->buf, c->val[0]`).
 */
void fs_keep_addr(struct fs_ctx *c, const struct fs_sockaddr *a);

/* SAFE_SOCKET(domain, type): socket(domain, type | SOCK_CLOEXEC, 0). */
#define SAFE_SOCKET(domain, type) fs_safe_socket(__FILE__, __LINE__, (domain), (type))

/* SAFE_SOCKETPAIR(type, sv): socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv). */
#define SAFE_SOCKETPAIR(type, sv) fs_safe_socketpair(__FILE__, __LINE__, (type), (sv))

/*
 * SAFE_BOUND(type, a): a socket of @a's family bound to @a; for inet, @a
 * then holds the port the kernel picked (getsockname).
 */
#define SAFE_BOUND(type, a) fs_safe_bound(__FILE__, __LINE__, (type), (a))

/* SAFE_LISTENER(type, a): SAFE_BOUND(), then listening with FS_BACKLOG. */
#define SAFE_LISTENER(type, a) fs_safe_listener(__FILE__, __LINE__, (type), (a))

/* SAFE_CONNECTED(type, a): a socket of @a's family connected to @a. */
#define SAFE_CONNECTED(type, a) fs_safe_connected(__FILE__, __LINE__, (type), (a))

int fs_safe_socket(const char *file, int line, int domain, int type);
void fs_safe_socketpair(const char *file, int line, int type, int sv[2]);
int fs_safe_bound(const char *file, int line, int type, struct fs_sockaddr *a);
int fs_safe_listener(const char *file, int line, int type, struct fs_sockaddr *a);
int fs_safe_connected(const char *file, int line, int type, const struct fs_sockaddr *a);

#endif
