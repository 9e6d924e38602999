/*
 * The harness of a module case (runner/module/modcase.c) for its reproducer: the
 * case is made at run time, so its source is written here from the
 * journal's "modcase" record instead of being embedded at build time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/repro/repro.h"

static const char *const SRC_LOAD =
	"static int setup(struct fs_ctx *c)\n"
	"{\n"
	"\t/* A leftover of an earlier attempt goes first; one that will not is BROK. */\n"
	"\tif (syscall(SYS_delete_module, MOD_NAME, O_NONBLOCK) && errno != ENOENT)\n"
	"\t\tfs_broken(__FILE__, __LINE__, errno, \"unloading a leftover %s\", MOD_NAME);\n"
	"\tc->fd[0] = SAFE(open(mod_ko(), O_RDONLY | O_CLOEXEC));\n"
	"\treturn 0;\n"
	"}\n\n"
	"static long call(struct fs_ctx *c)\n"
	"{\n"
	"\treturn syscall(SYS_finit_module, c->fd[0], MOD_PARAMS, 0);\n"
	"}\n\n"
	"static void teardown(struct fs_ctx *c)\n"
	"{\n"
	"\tsyscall(SYS_delete_module, MOD_NAME, O_NONBLOCK);\n"
	"\tif (c->fd[0] >= 0)\n"
	"\t\tclose(c->fd[0]);\n"
	"}\n";

static const char *const SRC_UNLOAD =
	"static int setup(struct fs_ctx *c)\n"
	"{\n"
	"\tint fd = SAFE(open(mod_ko(), O_RDONLY | O_CLOEXEC));\n"
	"\n"
	"\tif (syscall(SYS_finit_module, fd, MOD_PARAMS, 0) && errno != EEXIST)\n"
	"\t\tfs_broken(__FILE__, __LINE__, errno, \"loading %s (fault-free)\", mod_ko());\n"
	"\tclose(fd);\n"
	"\treturn 0;\n"
	"}\n\n"
	"static long call(struct fs_ctx *c)\n"
	"{\n"
	"\treturn syscall(SYS_delete_module, MOD_NAME, O_NONBLOCK);\n"
	"}\n\n"
	"static void teardown(struct fs_ctx *c)\n"
	"{\n"
	"\tsyscall(SYS_delete_module, MOD_NAME, O_NONBLOCK);\n"
	"}\n";

/* A C string literal of @s. */
static void put_c_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			fprintf(f, "\\%03o", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

int repro_mod_src(const struct jread_val *mc, const char *name, struct repro_src *src,
		  char **text)
{
	const char *kind = jread_str(jread_get(mc, "kind"));
	const struct jread_val *sc = jread_get(mc, "scoped");
	bool scoped = sc && sc->type == JREAD_BOOL && sc->b;
	size_t len = 0;
	FILE *f;

	if (strcmp(kind, "load") && strcmp(kind, "unload"))
		return -EINVAL;
	f = open_memstream(text, &len);
	if (!f)
		return -ENOMEM;
	fprintf(f,
		"/* Module case %s: the %s of the module the sweep swept. */\n"
		"#include <errno.h>\n#include <fcntl.h>\n#include <stdlib.h>\n"
		"#include <sys/syscall.h>\n#include <unistd.h>\n\n"
		"#include \"harness/harness.h\"\n\n",
		name, kind);
	fputs("/* FS_REPRO_KO=another.ko runs the same step on another build of the module. */\n"
	      "static const char MOD_KO[] = ", f);
	put_c_string(f, jread_str(jread_get(mc, "ko")));
	fputs(";\nstatic const char MOD_NAME[] = ", f);
	put_c_string(f, jread_str(jread_get(mc, "module")));
	fputs(";\nstatic const char MOD_PARAMS[] = ", f);
	put_c_string(f, jread_str(jread_get(mc, "params")));
	fputs(";\n\nstatic const char *mod_ko(void)\n{\n"
	      "\tconst char *ko = getenv(\"FS_REPRO_KO\");\n\n"
	      "\treturn ko && *ko ? ko : MOD_KO;\n}\n\n", f);
	fputs(!strcmp(kind, "load") ? SRC_LOAD : SRC_UNLOAD, f);
	fprintf(f, "\n/*\n * %s\n */\n",
		scoped ? "N counts only the module's own fault points (fail-nth-module, "
			 "faultsweep's\n * kernel patch 0003), as in the sweep." :
			 "N counts every fault point of the call, as in the sweep (no module\n"
			 " * scope).");
	fprintf(f, "FS_HARNESS(%s) = {\n\t.area = \"module\", .setup = setup, .call = call,\n"
		"\t.teardown = teardown, .flags = FS_SERIAL,\n", name);
	if (scoped)
		fputs("\t.scope_module = MOD_NAME,\n", f);
	fputs("};\n", f);
	if (fclose(f)) {
		free(*text);
		*text = NULL;
		return -ENOMEM;
	}
	src->path = "the journal's modcase record";
	src->text = *text;
	src->cases = NULL;
	return 0;
}
