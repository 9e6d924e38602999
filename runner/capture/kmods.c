/*
 * Loaded kernel modules, recorded while they are loaded: a kmemleak report
 * read after a module was unloaded shows its frames as bare addresses, and
 * only the load address recorded earlier turns them back into module + offset.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/capture/kmods.h"

/* Read a whole (small) proc or sysfs file; returns its length or -errno. */
static ssize_t slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = 0;
	return got;
}

static bool announced(const struct kmods_seen *s, const char *name, uint64_t base)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->mod[i].base == base && !strcmp(s->mod[i].name, name))
			return true;
	return false;
}

int kmods_announce(struct kmods_seen *s, int kmsg_fd)
{
	static char buf[32768];
	char *line, *save = NULL;
	int n = 0;

	if (kmsg_fd < 0 || slurp("/proc/modules", buf, sizeof(buf)) <= 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* "name size refcount deps state address [taints]" */
		struct marker_module m = { 0 };
		char path[128], addr[32], msg[MARKER_LINE_MAX];
		int len;

		if (sscanf(line, "%55s %" SCNu64 " %*s %*s %*s 0x%" SCNx64, m.name, &m.size,
			   &m.base) != 3 || !m.base || announced(s, m.name, m.base))
			continue;
		/* .text may not start at the module's base: ask sysfs (root only). */
		snprintf(path, sizeof(path), "/sys/module/%s/sections/.text", m.name);
		m.text = slurp(path, addr, sizeof(addr)) > 0 ? strtoull(addr, NULL, 16) : m.base;
		len = marker_module(msg, sizeof(msg), &m);
		if (write(kmsg_fd, msg, len) < 0)
			break;
		if (s->n == KMODS_MAX)
			memmove(s->mod, s->mod + 1, sizeof(s->mod[0]) * --s->n);
		s->mod[s->n++] = m;
		n++;
	}
	return n;
}

const struct marker_module *kmods_lookup(const struct kmods_seen *s, uint64_t addr)
{
	/* The newest load first: an address range is reused after an unload. */
	for (unsigned i = s->n; i-- > 0;)
		if (addr >= s->mod[i].base && addr < s->mod[i].base + s->mod[i].size)
			return &s->mod[i];
	return NULL;
}

void kmods_add(struct kmods_seen *s, const struct marker_module *m)
{
	if (announced(s, m->name, m->base))
		return;
	if (s->n == KMODS_MAX)
		memmove(s->mod, s->mod + 1, sizeof(s->mod[0]) * --s->n);
	s->mod[s->n++] = *m;
}
