/* What a kernel module file says about itself: its name and vermagic (.modinfo). */
#ifndef FS_MODINFO_H
#define FS_MODINFO_H

#include <stddef.h>

struct fs_modinfo {
	char name[64];       /* "name=" (the kernel's MODULE_NAME_LEN is 56), else from the file name */
	char vermagic[128];  /* "vermagic=", "" when the .ko has none */
};

/**
 * modinfo_read() - read @ko's .modinfo section. Returns 0, -ENOENT/-EACCES
 * (cannot open), -ENOEXEC (not an ELF relocatable with a .modinfo section);
 * on error @why gets one lower-case sentence naming the file.
 */
int modinfo_read(const char *ko, struct fs_modinfo *mi, char *why, size_t len);

/**
 * modinfo_release() - the kernel release a vermagic was built for: its first
 * word ("6.12.48 SMP preempt mod_unload" -> "6.12.48") into @buf.
 */
void modinfo_release(const char *vermagic, char *buf, size_t len);

/**
 * modinfo_check_release() - 0 when @mi was built for kernel release @rel;
 * else -EPROTO with a message naming both versions in @why.
 */
int modinfo_check_release(const char *ko, const struct fs_modinfo *mi, const char *rel,
			  char *why, size_t len);

#endif
