// SPDX-License-Identifier: GPL-2.0
/*
 * fs_planted: a module with one bug of each class faultsweep must find, each
 * on the error path of one allocation site, so a fail-nth sweep of write(2)
 * on /proc/fs_planted or of finit_module(2) reaches every one of them.
 *
 * Built a second time with -DFS_PLANTED_CLEAN (planted_clean.c) as
 * fs_planted_clean: the same allocations in the same order, with every
 * error path correct, so a sweep of it must come out clean.
 *
 * Each bug sits on its own call site, and the sites run in a fixed order;
 * the NULL dereference is the last site of each sequence so that the other
 * bugs are reached at smaller N before the Oops.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#ifdef FS_PLANTED_CLEAN
#define PLANTED 0
#else
#define PLANTED 1
#endif

/*
 * Every planted site allocates PLANTED_REPEAT times in a row. The number of
 * fault points ahead of a site varies by one or two from one call to the
 * next (slab refills under KASAN's quarantine, kmemleak metadata, and for
 * finit_module the kernfs inode ids of some 150 loader allocations), so one
 * sweep step to the next can move past a site that allocates only once. A
 * site that allocates three times in a row is not skipped that way.
 */
#define PLANTED_REPEAT 3

struct planted_item {
	u32 flags;
	size_t len;		/* offset 8: the NULL store lands at address 0x8 */
};

/* Everything one write makes. */
struct planted_state {
	u32 flags;
	char *data[PLANTED_REPEAT];
	char *tag[PLANTED_REPEAT];
	struct planted_item *item[PLANTED_REPEAT];
};

/* Everything init makes; freed again before init returns. */
struct planted_cfg {
	u32 flags;
	char *blob[PLANTED_REPEAT];
	u32 *copy[PLANTED_REPEAT];
	struct planted_item *item[PLANTED_REPEAT];
};

static struct proc_dir_entry *planted_pde;

/* Inlined, so a bad kfree is reported in the function that unwinds. */
static __always_inline void planted_free_all(void **p)
{
	int i;

	for (i = 0; i < PLANTED_REPEAT; i++)
		kfree(p[i]);
}

/*
 * The store through a possibly NULL item is done here, without KASAN
 * instrumentation: inline KASAN would check the shadow of address 0x8 first
 * and turn the bug into a general protection fault on a non-canonical shadow
 * address. Uninstrumented, it is the page fault an unchecked NULL makes
 * ("BUG: kernel NULL pointer dereference").
 */
static noinline __no_sanitize_address void planted_set_len(struct planted_item *item,
							    size_t len)
{
	item->len = len;
}

static ssize_t planted_write(struct file *file, const char __user *ubuf, size_t count,
			     loff_t *ppos)
{
	char *buf[PLANTED_REPEAT] = {};
	char *name[PLANTED_REPEAT] = {};
	struct planted_state *st;
	ssize_t ret = -ENOMEM;
	int i;

	for (i = 0; i < PLANTED_REPEAT; i++) {
		buf[i] = kmalloc(64, GFP_KERNEL);
		if (!buf[i]) {
			/* planted: wrong errno (-EINVAL for a failed allocation) */
			ret = PLANTED ? -EINVAL : -ENOMEM;
			goto out_buf;
		}
		memset(buf[i], 'x', 64);
	}

	for (i = 0; i < PLANTED_REPEAT; i++) {
		name[i] = kstrdup(KBUILD_MODNAME, GFP_KERNEL);
		if (!name[i]) {
			/* planted: leak (buf[], referenced only by a local, is not freed) */
			if (PLANTED) {
				planted_free_all((void **)name);
				return -ENOMEM;
			}
			goto out_name;
		}
	}

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		goto out_name;
	st->flags = 1;

	for (i = 0; i < PLANTED_REPEAT; i++) {
		st->data[i] = kmalloc(32, GFP_KERNEL);
		if (!st->data[i]) {
			/* planted: use-after-free (st is read after kfree) */
			planted_free_all((void **)st->data);
			kfree(st);
			if (PLANTED)
				pr_warn("%s: no data buffer (state flags %#x)\n", name[0],
					READ_ONCE(st->flags));
			goto out_name;
		}
	}

	for (i = 0; i < PLANTED_REPEAT; i++) {
		st->tag[i] = kmemdup(buf[i], 16, GFP_KERNEL);
		if (!st->tag[i]) {
			/* planted: double free (st->data[0] freed here and at out_tag) */
			if (PLANTED)
				kfree(st->data[0]);
			goto out_tag;
		}
	}

	for (i = 0; i < PLANTED_REPEAT; i++) {
		/* planted: NULL dereference (st->item[i] used without a check) */
		st->item[i] = kzalloc(sizeof(*st->item[i]), GFP_KERNEL);
		if (!PLANTED && !st->item[i])
			goto out_item;
		planted_set_len(st->item[i], count);
	}

	ret = count;
out_item:
	planted_free_all((void **)st->item);
out_tag:
	planted_free_all((void **)st->tag);
	planted_free_all((void **)st->data);
	kfree(st);
out_name:
	planted_free_all((void **)name);
out_buf:
	planted_free_all((void **)buf);
	return ret;
}

static const struct proc_ops planted_proc_ops = {
	.proc_write = planted_write,
	.proc_lseek = noop_llseek,
};

/*
 * The same five bug classes on init's own allocation sites, so a sweep of
 * finit_module reaches them. On success everything is freed again: a clean
 * load leaks nothing.
 */
static int __init planted_init_seq(void)
{
	u32 *tbl[PLANTED_REPEAT] = {};
	char *label[PLANTED_REPEAT] = {};
	struct planted_cfg *cfg;
	int ret = -ENOMEM;
	int i;

	for (i = 0; i < PLANTED_REPEAT; i++) {
		tbl[i] = kcalloc(4, sizeof(*tbl[i]), GFP_KERNEL);
		if (!tbl[i]) {
			/* planted: wrong errno (-EINVAL for a failed allocation) */
			ret = PLANTED ? -EINVAL : -ENOMEM;
			goto out_tbl;
		}
	}

	for (i = 0; i < PLANTED_REPEAT; i++) {
		label[i] = kasprintf(GFP_KERNEL, "%s-init-%d", KBUILD_MODNAME, i);
		if (!label[i]) {
			/* planted: leak (tbl[], referenced only by a local, is not freed) */
			if (PLANTED) {
				planted_free_all((void **)label);
				return -ENOMEM;
			}
			goto out_label;
		}
	}

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		goto out_label;
	cfg->flags = 1;

	for (i = 0; i < PLANTED_REPEAT; i++) {
		cfg->blob[i] = kmalloc(48, GFP_KERNEL);
		if (!cfg->blob[i]) {
			/* planted: use-after-free (cfg is read after kfree) */
			planted_free_all((void **)cfg->blob);
			kfree(cfg);
			if (PLANTED)
				pr_warn("%s: no blob (cfg flags %#x)\n", label[0],
					READ_ONCE(cfg->flags));
			goto out_label;
		}
	}

	for (i = 0; i < PLANTED_REPEAT; i++) {
		cfg->copy[i] = kmemdup(tbl[i], 4 * sizeof(*tbl[i]), GFP_KERNEL);
		if (!cfg->copy[i]) {
			/* planted: double free (label[0] freed here and at out_label) */
			if (PLANTED)
				kfree(label[0]);
			goto out_copy;
		}
	}

	for (i = 0; i < PLANTED_REPEAT; i++) {
		/* planted: NULL dereference (cfg->item[i] used without a check) */
		cfg->item[i] = kzalloc(sizeof(*cfg->item[i]), GFP_KERNEL);
		if (!PLANTED && !cfg->item[i])
			goto out_item;
		planted_set_len(cfg->item[i], strlen(label[i]));
	}

	ret = 0;
out_item:
	planted_free_all((void **)cfg->item);
out_copy:
	planted_free_all((void **)cfg->copy);
	planted_free_all((void **)cfg->blob);
	kfree(cfg);
out_label:
	planted_free_all((void **)label);
out_tbl:
	planted_free_all((void **)tbl);
	return ret;
}

static int __init planted_init(void)
{
	int ret;

	ret = planted_init_seq();
	if (ret)
		return ret;
	planted_pde = proc_create(KBUILD_MODNAME, 0200, NULL, &planted_proc_ops);
	if (!planted_pde)
		return -ENOMEM;
	return 0;
}

static void __exit planted_exit(void)
{
	proc_remove(planted_pde);
}

module_init(planted_init);
module_exit(planted_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("faultsweep planted-bug test module");
