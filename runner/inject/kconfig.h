/* The running kernel's configuration, from /proc/config.gz (CONFIG_IKCONFIG_PROC). */
#ifndef FS_KCONFIG_H
#define FS_KCONFIG_H

#include <stdbool.h>

/** kconfig_load() - read /proc/config.gz once. 0, or -ENOENT when the kernel lacks it. */
int kconfig_load(void);

/** kconfig_enabled() - whether @opt ("CONFIG_X") is =y or =m. True when unknown. */
bool kconfig_enabled(const char *opt);

/** kconfig_known() - whether the configuration could be read. */
bool kconfig_known(void);

#endif
