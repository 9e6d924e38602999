/* add_key(2) and keyctl(2) on "user" keys and keyrings, inside a keyring made for each step. */
#include <linux/keyctl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/harness.h"

/*
 * val[0]: a keyring of the step's own, linked into the process keyring
 * (created on demand by setup, so outside the swept call); val[1]/val[2]:
 * keys the call or setup made. Teardown invalidates them all so the
 * garbage collector frees them at once instead of letting them pile up.
 */
static long new_keyring(const char *desc)
{
	return syscall(SYS_add_key, "keyring", desc, NULL, 0, KEY_SPEC_PROCESS_KEYRING);
}

static long add_user_key(struct fs_ctx *c, const char *payload)
{
	return syscall(SYS_add_key, "user", "faultsweep:user", payload, strlen(payload),
		       c->val[0]);
}

static int setup_keyring(struct fs_ctx *c)
{
	c->val[0] = SAFE(new_keyring("faultsweep:step"));
	return 0;
}

static int setup_user_key(struct fs_ctx *c)
{
	setup_keyring(c);
	c->val[1] = SAFE(add_user_key(c, "the payload before"));
	return 0;
}

/* The retry oracle may add a second time: each id gets its own slot. */
static long call_add_user(struct fs_ctx *c)
{
	long id = add_user_key(c, "a user key payload");
	int i = c->val[1] ? 2 : 1;

	if (id > 0)
		c->val[i] = id;
	return id;
}

static long call_add_keyring(struct fs_ctx *c)
{
	long id = syscall(SYS_add_key, "keyring", "faultsweep:nested", NULL, 0, c->val[0]);
	int i = c->val[1] ? 2 : 1;

	if (id > 0)
		c->val[i] = id;
	return id;
}

static long call_update(struct fs_ctx *c)
{
	static const char payload[] = "the payload after an update";

	return syscall(SYS_keyctl, KEYCTL_UPDATE, c->val[1], payload, sizeof(payload) - 1);
}

/* The kernel reads the payload into a kvmalloc()ed bounce buffer before copying it out. */
static long call_read(struct fs_ctx *c)
{
	return syscall(SYS_keyctl, KEYCTL_READ, c->val[1], c->buf, sizeof(c->buf));
}

static void teardown(struct fs_ctx *c)
{
	for (int i = 2; i >= 0; i--)
		if (c->val[i] > 0)
			syscall(SYS_keyctl, KEYCTL_INVALIDATE, c->val[i]);
}

/* add_key(2) and keyctl(2) document EDQUOT for a key that does not fit the quota. */
FS_HARNESS(add_key_user) = {
	.area     = "keys",
	.setup    = setup_keyring,
	.call     = call_add_user,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EDQUOT),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_KEYS"),
};

FS_HARNESS(add_key_keyring) = {
	.area     = "keys",
	.setup    = setup_keyring,
	.call     = call_add_keyring,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EDQUOT),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_KEYS"),
};

FS_HARNESS(keyctl_update) = {
	.area     = "keys",
	.setup    = setup_user_key,
	.call     = call_update,
	.teardown = teardown,
	.errnos   = FS_ERRNOS(EDQUOT),
	.needs    = FS_NEEDS_KCONFIG("CONFIG_KEYS"),
};

FS_HARNESS(keyctl_read) = {
	.area     = "keys",
	.setup    = setup_user_key,
	.call     = call_read,
	.teardown = teardown,
	.needs    = FS_NEEDS_KCONFIG("CONFIG_KEYS"),
};
