/*
 * A test program for `faultsweep exec`: a few syscalls whose failure it
 * handles, and one (socket) whose unexpected errno sends it into an error
 * path that dereferences NULL inside handle_unexpected_error() — the
 * user-space bug a `user-crash` finding must name (tests/vm/exec_crash.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct handler {
	const char *what;
	int count;
};

static struct handler handlers[] = { { "pipe", 0 }, { "open", 0 } };

/* The handler of @what, or NULL: socket has none, which the error path forgets. */
__attribute__((noinline)) static struct handler *find_handler(const char *what)
{
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (!strcmp(handlers[i].what, what))
			return &handlers[i];
	return NULL;
}

void handle_unexpected_error(const char *what, int err);

__attribute__((noinline)) void handle_unexpected_error(const char *what, int err)
{
	struct handler *volatile h = find_handler(what);

	h->count++;	/* the planted bug: no handler for this call */
	fprintf(stderr, "nullderef: %s: %s\n", what, strerror(err));
}

int main(void)
{
	char buf[256];
	int p[2], fd, s;

	if (pipe(p)) {
		/* Expected: reported and handled. */
		fprintf(stderr, "nullderef: pipe: %s\n", strerror(errno));
		return 1;
	}
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "nullderef: open: %s\n", strerror(errno));
		return 1;
	}
	if (read(fd, buf, sizeof(buf)) < 0) {
		fprintf(stderr, "nullderef: read: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0 && errno != EINTR)
		handle_unexpected_error("socket", errno);
	if (s >= 0)
		close(s);
	close(p[0]);
	close(p[1]);
	return 0;
}
