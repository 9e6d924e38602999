/*
 * The allocation-site cache: one text file per scanned ELF file, named by
 * its build id and a key of what made the list (the allocator table and
 * this faultsweep binary's build id), so a rebuilt faultsweep or an edited
 * table scans again. Also the string pool the lists share.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/sym/sym_alloc.h"
#include "reports/sym/sym_sites.h"

#define FORMAT "faultsweep-sites 1"

struct sym_pool {
	char **slot;
	size_t cap, n;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 1099511628211ull;
	return h;
}

const char *sym_pool_str(struct sym_pool **pp, const char *s)
{
	struct sym_pool *p = *pp;
	size_t i;

	if (!p) {
		p = *pp = calloc(1, sizeof(*p));
		if (!p)
			return NULL;
	}
	if (2 * (p->n + 1) > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 1024;
		char **slot = calloc(cap, sizeof(*slot));

		if (!slot)
			return NULL;
		for (i = 0; i < p->cap; i++) {
			size_t k;

			if (!p->slot[i])
				continue;
			for (k = fnv(1469598103934665603ull, p->slot[i], strlen(p->slot[i])) % cap;
			     slot[k]; k = (k + 1) % cap)
				;
			slot[k] = p->slot[i];
		}
		free(p->slot);
		p->slot = slot;
		p->cap = cap;
	}
	for (i = fnv(1469598103934665603ull, s, strlen(s)) % p->cap; p->slot[i];
	     i = (i + 1) % p->cap)
		if (!strcmp(p->slot[i], s))
			return p->slot[i];
	p->slot[i] = strdup(s);
	if (!p->slot[i])
		return NULL;
	p->n++;
	return p->slot[i];
}

void sym_pool_free(struct sym_pool *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->cap; i++)
		free(p->slot[i]);
	free(p->slot);
	free(p);
}

int sym_sites_cache_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && *xdg)
		n = snprintf(buf, len, "%s/faultsweep/sites", xdg);
	else if (home && *home)
		n = snprintf(buf, len, "%s/.cache/faultsweep/sites", home);
	else
		return -ENOENT;
	return n > 0 && (size_t)n < len ? 0 : -ENOENT;
}

/* This binary's build id bits hashed into @h (a rebuilt faultsweep may place sites otherwise). */
static uint64_t self_id(uint64_t h)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	Elf *e;
	Elf_Scn *scn = NULL;

	if (fd < 0)
		return h;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	while (e && (scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		GElf_Nhdr nh;
		Elf_Data *d;
		size_t off = 0, noff, doff;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || !(d = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0)
			if (nh.n_type == NT_GNU_BUILD_ID)
				h = fnv(h, (const char *)d->d_buf + doff, nh.n_descsz);
	}
	if (e)
		elf_end(e);
	close(fd);
	return h;
}

static int cache_path(const char *dir, const struct sym_sites *l, char *buf, size_t len)
{
	uint64_t key = sym_alloc_table_hash();
	int n;

	key = fnv(key, FORMAT, sizeof(FORMAT));
	key = self_id(key);
	n = snprintf(buf, len, "%s/%s-%016llx.sites", dir, l->build_id, (unsigned long long)key);
	return n > 0 && (size_t)n < len ? 0 : -ENAMETOOLONG;
}

static bool printable(const char *s)
{
	return !strpbrk(s, "\t\n");
}

/* Lists of the same file made by another faultsweep or table: never read again. */
static void prune(const char *dir, const char *build_id, const char *keep)
{
	size_t n = strlen(build_id);
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp)) != NULL) {
		char path[4096];
		size_t k = strlen(d->d_name);

		if (strncmp(d->d_name, build_id, n) || d->d_name[n] != '-' || k < 6 ||
		    strcmp(d->d_name + k - 6, ".sites"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (strcmp(path, keep))
			unlink(path);
	}
	closedir(dp);
}

int sym_sites_cache_write(const char *dir, const struct sym_sites *l)
{
	char path[4096], tmp[4200], mk[4096];
	FILE *f;
	size_t i;
	int err = 0;
	char *p;

	err = cache_path(dir, l, path, sizeof(path));
	if (err)
		return err;
	/* mkdir -p */
	snprintf(mk, sizeof(mk), "%s", dir);
	for (p = mk + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(mk, 0755);
		*p = '/';
	}
	if (mkdir(mk, 0755) && errno != EEXIST)
		return -errno;
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "%s\npath\t%s\nmodule\t%s\nroot\t%s\npartial\t%u\nnofail_known\t%d\nsites\t%zu\n",
		FORMAT, l->path, l->module, l->root, l->partial_funcs, l->nofail_known, l->n);
	for (i = 0; i < l->n && !err; i++) {
		const struct sym_site *s = &l->v[i];

		if (!printable(s->file) || !printable(s->func) || !printable(s->scope_file) ||
		    !printable(s->sym) || !printable(s->alloc)) {
			err = -EINVAL;
			break;
		}
		fprintf(f, "%d\t%d\t%d\t%x\t%d\t%u\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s->line,
			s->reach, s->gfp_known, s->gfp, s->tail, s->calls, s->scope_line, s->family,
			s->faults, s->alloc, s->sym, s->func, s->file, s->scope_file);
	}
	if (ferror(f) && !err)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	else
		prune(dir, l->build_id, path);
	return err;
}

static int header(FILE *f, const char *key, char *val, size_t len)
{
	char line[4200];
	size_t n = strlen(key);

	if (!fgets(line, sizeof(line), f) || strncmp(line, key, n) || line[n] != '\t')
		return -EINVAL;
	line[strcspn(line, "\n")] = 0;
	snprintf(val, len, "%s", line + n + 1);
	return 0;
}

static int read_site(struct sym_sites *l, char *line, struct sym_site *s)
{
	char *f[14], *p = line;
	int i, reach, known, tail;
	unsigned gfp;

	line[strcspn(line, "\n")] = 0;
	for (i = 0; i < 14; i++)
		if (!(f[i] = strsep(&p, "\t")))
			return -EINVAL;
	if (sscanf(f[0], "%d", &s->line) != 1 || sscanf(f[1], "%d", &reach) != 1 ||
	    sscanf(f[2], "%d", &known) != 1 || sscanf(f[3], "%x", &gfp) != 1 ||
	    sscanf(f[4], "%d", &tail) != 1 || sscanf(f[5], "%u", &s->calls) != 1 ||
	    sscanf(f[6], "%d", &s->scope_line) != 1 || reach < 0 || reach >= SYM_REACH_NR)
		return -EINVAL;
	s->reach = reach;
	s->gfp_known = known;
	s->gfp = gfp;
	s->tail = tail;
	s->family = sym_pool_str(&l->pool, f[7]);
	s->faults = sym_pool_str(&l->pool, f[8]);
	s->alloc = sym_pool_str(&l->pool, f[9]);
	s->sym = sym_pool_str(&l->pool, f[10]);
	s->func = sym_pool_str(&l->pool, f[11]);
	s->file = sym_pool_str(&l->pool, f[12]);
	s->scope_file = sym_pool_str(&l->pool, f[13]);
	return s->family && s->faults && s->alloc && s->sym && s->func && s->file && s->scope_file ?
	       0 : -ENOMEM;
}

int sym_sites_cache_read(const char *dir, struct sym_sites *l)
{
	char path[4096], val[4200], line[8192];
	unsigned long long n = 0;
	unsigned partial = 0;
	int nofail = 0, err;
	size_t i;
	FILE *f;

	err = cache_path(dir, l, path, sizeof(path));
	if (err)
		return err;
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	err = fgets(line, sizeof(line), f) && !strncmp(line, FORMAT "\n", sizeof(FORMAT)) ?
	      0 : -EINVAL;
	err = err ?: header(f, "path", val, sizeof(val));
	err = err ?: header(f, "module", val, sizeof(val));
	err = err ?: header(f, "root", l->root, sizeof(l->root));
	err = err ?: header(f, "partial", val, sizeof(val));
	if (!err && sscanf(val, "%u", &partial) != 1)
		err = -EINVAL;
	err = err ?: header(f, "nofail_known", val, sizeof(val));
	if (!err && sscanf(val, "%d", &nofail) != 1)
		err = -EINVAL;
	err = err ?: header(f, "sites", val, sizeof(val));
	if (!err && (sscanf(val, "%llu", &n) != 1 || n > 10000000))
		err = -EINVAL;
	if (!err) {
		l->v = calloc(n + 1, sizeof(*l->v));
		err = l->v ? 0 : -ENOMEM;
	}
	for (i = 0; !err && i < n; i++)
		err = fgets(line, sizeof(line), f) ? read_site(l, line, &l->v[i]) : -EINVAL;
	fclose(f);
	if (err) {
		free(l->v);
		sym_pool_free(l->pool);
		l->v = NULL;
		l->pool = NULL;
		l->root[0] = 0;
		return -ENOENT;
	}
	l->n = n;
	l->partial_funcs = partial;
	l->nofail_known = nofail;
	return 0;
}
