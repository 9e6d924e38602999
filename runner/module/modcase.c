/* The load and unload cases of a kernel module, made at run time (runner/module/modcase.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "harness/harness.h"
#include "journal/records.h"
#include "runner/module/modcase.h"
#include "runner/module/modinfo.h"

struct modcase {
	char ko[PATH_MAX];
	char params[1024];
	struct fs_modinfo mi;
	char names[2][96];
	struct fs_harness load, unload;
};

#define ENV "FAULTSWEEP_MODCASES"

static const struct modcase *mc_of(const struct fs_ctx *c)
{
	return c->arg;
}

static bool loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return access(path, F_OK) == 0;
}

/* Unloads a leftover of an earlier step; one that will not go is BROK. */
static void unload_leftover(const struct modcase *m)
{
	if (syscall(SYS_delete_module, m->mi.name, O_NONBLOCK) && errno != ENOENT)
		fs_broken(__FILE__, __LINE__, errno, "unloading a leftover %s", m->mi.name);
}

static int open_ko(struct fs_ctx *c, const struct modcase *m)
{
	int fd = open(m->ko, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fs_broken(__FILE__, __LINE__, errno, "open %s", m->ko);
	return fd;
}

static int setup_load(struct fs_ctx *c)
{
	const struct modcase *m = mc_of(c);

	unload_leftover(m);
	c->fd[0] = open_ko(c, m);
	return 0;
}

static long call_load(struct fs_ctx *c)
{
	return syscall(SYS_finit_module, c->fd[0], mc_of(c)->params, 0);
}

/* Whatever loaded (the call or the retry oracle's) goes, so the next step starts from nothing. */
static void teardown_load(struct fs_ctx *c)
{
	syscall(SYS_delete_module, mc_of(c)->mi.name, O_NONBLOCK);
	if (c->fd[0] >= 0)
		close(c->fd[0]);
}

static int setup_unload(struct fs_ctx *c)
{
	const struct modcase *m = mc_of(c);
	int fd;

	if (loaded(m->mi.name))
		return 0;
	fd = open_ko(c, m);
	if (syscall(SYS_finit_module, fd, m->params, 0) && errno != EEXIST)
		fs_broken(__FILE__, __LINE__, errno, "loading %s (fault-free)", m->ko);
	close(fd);
	return 0;
}

static long call_unload(struct fs_ctx *c)
{
	return syscall(SYS_delete_module, mc_of(c)->mi.name, O_NONBLOCK);
}

static void teardown_unload(struct fs_ctx *c)
{
	syscall(SYS_delete_module, mc_of(c)->mi.name, O_NONBLOCK);
}

/*
 * A module whose init Oopsed stays "coming" for good (its loader task died
 * in init), and every later load of the name waits for it: no further step
 * can run until the kernel reboots. Likewise one that cannot be unloaded.
 */
static bool stuck(const struct fs_harness *h, char *why, size_t len)
{
	const struct modcase *m = h->arg;
	char path[128], state[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", m->mi.name);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(state, sizeof(state), f))
		*state = 0;
	fclose(f);
	state[strcspn(state, "\n")] = 0;
	if (!strcmp(state, "coming") || !strcmp(state, "going")) {
		snprintf(why, len, "module %s is stuck in state '%s'", m->mi.name, state);
		return true;
	}
	if (syscall(SYS_delete_module, m->mi.name, O_NONBLOCK) && errno != ENOENT) {
		snprintf(why, len, "module %s cannot be unloaded: %s", m->mi.name, strerror(errno));
		return true;
	}
	return false;
}

void modcase_journal(struct journal *j, const char *run_id, const struct fs_harness *h,
		     bool scoped)
{
	const struct modcase *m = h->arg;

	if (h->setup != setup_load && h->setup != setup_unload)
		return;
	jrec_modcase(j, &(struct jrec_modcase){
		.run = run_id, .case_name = h->name,
		.kind = h->setup == setup_load ? "load" : "unload", .ko = m->ko,
		.module = m->mi.name, .params = m->params, .vermagic = m->mi.vermagic,
		.scoped = scoped && h->scope_module });
}

static int valid_name(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static void remember(const struct fs_modcase_spec *sp)
{
	const char *old = getenv(ENV);
	char *v;

	if (asprintf(&v, "%s%s%s\t%s\t%s\t%s\t%d", old ? old : "", old && *old ? "\n" : "",
		     sp->ko, sp->params ? sp->params : "", sp->base ? sp->base : "",
		     sp->area ? sp->area : "", sp->no_scope) < 0)
		return;
	setenv(ENV, v, 1);
	free(v);
}

int modcase_register(const struct fs_modcase_spec *sp, char names[2][96], size_t nlen,
		     char *why, size_t len)
{
	struct modcase *m = calloc(1, sizeof(*m));
	struct utsname u;
	int ret;

	if (!m)
		return -ENOMEM;
	if (!realpath(sp->ko, m->ko)) {
		ret = -errno;
		snprintf(why, len, "%s: %s", sp->ko, strerror(errno));
		goto fail;
	}
	ret = modinfo_read(m->ko, &m->mi, why, len);
	if (ret)
		goto fail;
	if (sp->check_release && uname(&u) == 0 &&
	    (ret = modinfo_check_release(sp->ko, &m->mi, u.release, why, len)))
		goto fail;
	if (strchr(sp->params ? sp->params : "", '\n') ||
	    snprintf(m->params, sizeof(m->params), "%s", sp->params ? sp->params : "") >=
	    (int)sizeof(m->params)) {
		snprintf(why, len, "%s: module parameters too long or multi-line", sp->ko);
		ret = -EINVAL;
		goto fail;
	}
	if (sp->base)
		snprintf(m->names[0], sizeof(m->names[0]), "%s_load", sp->base);
	else
		snprintf(m->names[0], sizeof(m->names[0]), "module_%s_load", m->mi.name);
	snprintf(m->names[1], sizeof(m->names[1]), "%.*s_unload",
		 (int)strlen(m->names[0]) - 5, m->names[0]);
	if (!valid_name(m->names[0])) {
		snprintf(why, len, "%s: '%s' is not a case name ([a-z0-9_])", sp->ko, m->names[0]);
		ret = -EINVAL;
		goto fail;
	}
	m->load = (struct fs_harness){
		.name = m->names[0], .area = sp->area ? sp->area : "module",
		.setup = setup_load, .call = call_load, .teardown = teardown_load,
		.file = m->ko, .arg = m, .stuck = stuck, .flags = FS_SERIAL,
		.scope_module = sp->no_scope ? NULL : m->mi.name,
	};
	/*
	 * The unload case is not scoped: a module's exit rarely allocates, and
	 * the unload path it triggers (sysfs, kobjects) is where its error
	 * handling meets the kernel's.
	 */
	m->unload = (struct fs_harness){
		.name = m->names[1], .area = sp->area ? sp->area : "module",
		.setup = setup_unload, .call = call_unload, .teardown = teardown_unload,
		.file = m->ko, .arg = m, .stuck = stuck, .flags = FS_SERIAL,
	};
	ret = fs_harness_add(&m->load);
	if (!ret)
		ret = fs_harness_add(&m->unload);
	if (ret) {
		snprintf(why, len, "%s: a case named %s or %s exists already (another "
			 "scenario name avoids it)", sp->ko, m->names[0], m->names[1]);
		goto fail;	/* the process exits on this error: nothing to unregister */
	}
	snprintf(names[0], nlen, "%s", m->names[0]);
	snprintf(names[1], nlen, "%s", m->names[1]);
	remember(sp);
	return 0;
fail:
	free(m);
	return ret;
}

void modcase_from_env(void)
{
	const char *v = getenv(ENV);
	char *copy, *line, *save = NULL;

	if (!v || !*v || !(copy = strdup(v)))
		return;
	unsetenv(ENV);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[5] = { 0 }, *p = line, names[2][96], why[512];
		struct fs_modcase_spec sp;
		int i;

		for (i = 0; i < 5 && p; i++) {
			f[i] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = 0;
		}
		if (i < 5)
			continue;
		sp = (struct fs_modcase_spec){ .ko = f[0], .params = f[1],
					       .base = *f[2] ? f[2] : NULL,
					       .area = *f[3] ? f[3] : NULL, .no_scope = atoi(f[4]) };
		modcase_register(&sp, names, sizeof(names[0]), why, sizeof(why));
	}
	free(copy);
}
