/* Socket setup for harnesses: see harness/net.h. Needs nothing but libc and the harness API. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "harness/harness.h"
#include "harness/net.h"

/* What a failure names: the path, or the loopback port. */
static const char *addr_text(const struct fs_sockaddr *a, char *buf, size_t len)
{
	if (a->sa.sa_family == AF_UNIX)
		snprintf(buf, len, "%s", a->sun.sun_path);
	else
		snprintf(buf, len, "127.0.0.1:%u", ntohs(a->sin.sin_port));
	return buf;
}

struct fs_sockaddr *fs_unix_addr(struct fs_ctx *c, int i, const char *name,
				 struct fs_sockaddr *a)
{
	const char *path = fs_path(c, i, name);

	memset(a, 0, sizeof(*a));
	if (strlen(path) >= sizeof(a->sun.sun_path))
		fs_broken(__FILE__, __LINE__, ENAMETOOLONG, "unix socket path %s", path);
	a->sun.sun_family = AF_UNIX;
	strcpy(a->sun.sun_path, path);
	a->len = sizeof(a->sun);
	return a;
}

struct fs_sockaddr *fs_loopback_addr(struct fs_sockaddr *a)
{
	memset(a, 0, sizeof(*a));
	a->sin.sin_family = AF_INET;
	a->sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->len = sizeof(a->sin);
	return a;
}

void fs_keep_addr(struct fs_ctx *c, const struct fs_sockaddr *a)
{
	memcpy(c->buf, &a->sa, a->len);
	c->val[0] = a->len;
}

int fs_safe_socket(const char *file, int line, int domain, int type)
{
	int fd = socket(domain, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		fs_broken(file, line, errno, "socket(%s, %d)", domain == AF_UNIX ? "AF_UNIX" :
			  domain == AF_INET ? "AF_INET" : "?", type);
	return fd;
}

void fs_safe_socketpair(const char *file, int line, int type, int sv[2])
{
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) < 0)
		fs_broken(file, line, errno, "socketpair(AF_UNIX, %d)", type);
}

int fs_safe_bound(const char *file, int line, int type, struct fs_sockaddr *a)
{
	int fd = fs_safe_socket(file, line, a->sa.sa_family, type);
	char text[128];

	if (bind(fd, &a->sa, a->len) < 0)
		fs_broken(file, line, errno, "bind %s", addr_text(a, text, sizeof(text)));
	if (a->sa.sa_family == AF_INET) {
		a->len = sizeof(a->sin);
		if (getsockname(fd, &a->sa, &a->len) < 0)
			fs_broken(file, line, errno, "getsockname %s",
				  addr_text(a, text, sizeof(text)));
	}
	return fd;
}

int fs_safe_listener(const char *file, int line, int type, struct fs_sockaddr *a)
{
	int fd = fs_safe_bound(file, line, type, a);
	char text[128];

	if (listen(fd, FS_BACKLOG) < 0)
		fs_broken(file, line, errno, "listen %s", addr_text(a, text, sizeof(text)));
	return fd;
}

int fs_safe_connected(const char *file, int line, int type, const struct fs_sockaddr *a)
{
	int fd = fs_safe_socket(file, line, a->sa.sa_family, type);
	char text[128];

	if (connect(fd, &a->sa, a->len) < 0)
		fs_broken(file, line, errno, "connect %s", addr_text(a, text, sizeof(text)));
	return fd;
}
