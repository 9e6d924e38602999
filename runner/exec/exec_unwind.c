/* Backtraces of a stopped tracee: libunwind-ptrace for the frames, libdwfl for module and file:line. */
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <libunwind-ptrace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/exec/exec_unwind.h"

static const Dwfl_Callbacks dwfl_cb = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

/*
 * The last process's modules, kept while the next one's mappings are the
 * same: CMD runs with ASLR off, so every run of a sweep maps alike, and
 * reading debug information (over 9p in the VM) is the cost of a backtrace.
 */
static struct {
	char *maps;
	size_t len;
	Dwfl *d;
	unw_addr_space_t as;    /* libunwind's, caching unwind info while the maps stay */
} cache;

static char *read_maps(pid_t tid, size_t *len)
{
	char path[64], *buf = NULL, *nb;
	size_t cap = 0, n = 0;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r > 0)
			n += r;
	} while (r > 0);
	close(fd);
	*len = n;
	return buf;
}

/* The process's mappings as libdwfl modules; NULL when /proc/PID/maps cannot be read. */
static Dwfl *dwfl_of(pid_t tid)
{
	size_t len = 0;
	char *maps = read_maps(tid, &len);
	Dwfl *d;

	if (maps && cache.d && len == cache.len && !memcmp(maps, cache.maps, len)) {
		free(maps);
		return cache.d;
	}
	d = dwfl_begin(&dwfl_cb);
	if (!d) {
		free(maps);
		return NULL;
	}
	dwfl_report_begin(d);
	if (dwfl_linux_proc_report(d, tid) || dwfl_report_end(d, NULL, NULL)) {
		dwfl_end(d);
		free(maps);
		return NULL;
	}
	if (cache.d)
		dwfl_end(cache.d);
	if (cache.as)
		unw_flush_cache(cache.as, 0, 0);
	free(cache.maps);
	cache.d = d;
	cache.maps = maps;
	cache.len = len;
	return d;
}

void exec_unwind_reset(void)
{
	if (cache.d)
		dwfl_end(cache.d);
	if (cache.as)
		unw_destroy_addr_space(cache.as);
	free(cache.maps);
	memset(&cache, 0, sizeof(cache));
}

/* A frame of the C library or the loader: not where a program's bug is. */
static bool is_libc(const char *mod)
{
	return !strncmp(mod, "libc.so", 7) || !strncmp(mod, "libc-", 5) ||
	       !strncmp(mod, "ld-linux", 8) || !strncmp(mod, "libpthread", 10);
}

static void one_frame(Dwfl *d, unw_cursor_t *cur, unsigned i, struct exec_bt *bt)
{
	char name[128] = "", loc[128] = "", modbuf[96] = "";
	const char *mod = NULL, *file = NULL, *n;
	unw_word_t ip = 0, off = 0;
	GElf_Off so;
	GElf_Sym sym;
	Dwarf_Addr lookup;
	Dwfl_Module *m;
	int line = 0;

	unw_get_reg(cur, UNW_REG_IP, &ip);
	/* A return address points after the call: its line is the call's at ip - 1. */
	lookup = i ? ip - 1 : ip;
	m = d ? dwfl_addrmodule(d, lookup) : NULL;
	if (m) {
		Dwfl_Line *l = dwfl_module_getsrc(m, lookup);
		const char *base;

		mod = dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
		if (mod) {
			base = strrchr(mod, '/');
			snprintf(modbuf, sizeof(modbuf), "%s", base ? base + 1 : mod);
		}
		if (l)
			file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
		n = dwfl_module_addrinfo(m, lookup, &so, &sym, NULL, NULL, NULL);
		if (n) {
			/* "__libc_start_main@@GLIBC_2.34": the version is noise in a title. */
			snprintf(name, sizeof(name), "%.*s", (int)strcspn(n, "@"), n);
			off = so + (ip - lookup);
		}
	}
	/* libunwind reads the ELF file again on every call: only when libdwfl knows no name. */
	if (!*name && unw_get_proc_name(cur, name, sizeof(name), &off))
		*name = 0;
	if (file) {
		const char *base = strrchr(file, '/');

		snprintf(loc, sizeof(loc), " (%s:%d)", base ? base + 1 : file, line);
	}
	if (*name)
		snprintf(bt->frame[i], EXEC_FRAME_LEN, "%s+0x%lx%s%s%s%s", name, (unsigned long)off,
			 loc, *modbuf ? " [" : "", modbuf, *modbuf ? "]" : "");
	else
		snprintf(bt->frame[i], EXEC_FRAME_LEN, "0x%lx%s%s%s%s", (unsigned long)ip, loc,
			 *modbuf ? " [" : "", modbuf, *modbuf ? "]" : "");
	if (!*bt->where && *name && !is_libc(modbuf))
		snprintf(bt->where, sizeof(bt->where), "%s%s%s%s", name, *modbuf ? " [" : "",
			 modbuf, *modbuf ? "]" : "");
}

int exec_unwind(pid_t tid, struct exec_bt *bt)
{
	void *upt = _UPT_create(tid);
	unw_cursor_t cur;
	Dwfl *d;
	int err = 0;

	memset(bt, 0, sizeof(*bt));
	if (!cache.as) {
		cache.as = unw_create_addr_space(&_UPT_accessors, 0);
		if (cache.as)
			unw_set_caching_policy(cache.as, UNW_CACHE_GLOBAL);
	}
	/* Before the unwind: a new process's mappings flush the cached unwind info. */
	d = dwfl_of(tid);
	if (!cache.as || !upt) {
		err = -ENOMEM;
		goto out;
	}
	if (unw_init_remote(&cur, cache.as, upt)) {
		err = -EIO;
		goto out;
	}
	do {
		one_frame(d, &cur, bt->n, bt);
		bt->n++;
	} while (bt->n < EXEC_FRAMES_MAX && unw_step(&cur) > 0);
	if (!*bt->where && bt->n)
		snprintf(bt->where, sizeof(bt->where), "%s", bt->frame[0]);
out:
	if (upt)
		_UPT_destroy(upt);
	return err;
}
