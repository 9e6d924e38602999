/* Reads the .modinfo section of a .ko (libelf): the module's name and the kernel it was built for. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runner/module/modinfo.h"

/* "fs_planted" from ".../fs-planted.ko": what the kernel would call it. */
static void name_from_path(const char *ko, char *buf, size_t len)
{
	const char *base = strrchr(ko, '/');
	size_t i;

	base = base ? base + 1 : ko;
	snprintf(buf, len, "%s", base);
	for (i = 0; buf[i]; i++) {
		if (buf[i] == '-')
			buf[i] = '_';
		if (!strcmp(buf + i, ".ko")) {
			buf[i] = 0;
			break;
		}
	}
}

/* Walks the NUL-separated "key=value" strings of .modinfo. */
static void parse(const char *p, size_t n, struct fs_modinfo *mi)
{
	const char *end = p + n;

	while (p < end) {
		size_t l = strnlen(p, end - p);

		if (l > 5 && !strncmp(p, "name=", 5))
			snprintf(mi->name, sizeof(mi->name), "%.*s", (int)(l - 5), p + 5);
		else if (l > 9 && !strncmp(p, "vermagic=", 9))
			snprintf(mi->vermagic, sizeof(mi->vermagic), "%.*s", (int)(l - 9), p + 9);
		p += l + 1;
	}
}

int modinfo_read(const char *ko, struct fs_modinfo *mi, char *why, size_t len)
{
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int fd, ret = -ENOEXEC;
	bool found = false;

	memset(mi, 0, sizeof(*mi));
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(why, len, "%s: %s", ko, strerror(errno));
		return ret;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx)) {
		snprintf(why, len, "%s: not an ELF file (a kernel module is a .ko)", ko);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".modinfo"))
			continue;
		d = elf_getdata(scn, NULL);
		if (d && d->d_buf)
			parse(d->d_buf, d->d_size, mi);
		found = true;
		break;
	}
	if (!found) {
		snprintf(why, len, "%s: no .modinfo section: not a kernel module", ko);
		goto out;
	}
	if (!*mi->name)
		name_from_path(ko, mi->name, sizeof(mi->name));
	ret = 0;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

void modinfo_release(const char *vermagic, char *buf, size_t len)
{
	size_t n = strcspn(vermagic, " \t");

	snprintf(buf, len, "%.*s", (int)n, vermagic);
}

int modinfo_check_release(const char *ko, const struct fs_modinfo *mi, const char *rel,
			  char *why, size_t len)
{
	char built[128];

	modinfo_release(mi->vermagic, built, sizeof(built));
	if (!strcmp(built, rel))
		return 0;
	if (!*built)
		snprintf(why, len, "%s has no vermagic: not built for a kernel (the running "
			 "kernel is %s)", ko, rel);
	else
		snprintf(why, len, "%s was built for kernel %s, but the running kernel is %s: "
			 "rebuild the module against the test kernel's build directory "
			 "('faultsweep kernel path')", ko, built, rel);
	return -EPROTO;
}
