// SPDX-License-Identifier: GPL-2.0
/*
 * fs_planted: a module with one bug of each class faultsweep must find, each
 * on the error path of one allocation, so a fail-nth sweep of write(2) on
 * /proc/fs_planted or of finit_module(2) reaches every one of them.
 *
 * Built a second time with -DFS_PLANTED_CLEAN (planted_clean.c) as
 * fs_planted_clean: the same allocations in the same order, with every
 * error path correct, so a sweep of it must come out clean.
 *
 * Each allocation is its own call site, and the sites run in a fixed order;
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

struct planted_item {
	u32 flags;
	size_t len;		/* offset 8: the NULL store lands at address 0x8 */
};

/* Everything one write makes. */
struct planted_state {
	u32 flags;
	char *data;
	char *tag;
	struct planted_item *item;
};

/* Everything init makes; freed again before init returns. */
struct planted_cfg {
	u32 flags;
	char *blob;
	u32 *copy;
	struct planted_item *item;
};

static struct proc_dir_entry *planted_pde;

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
	struct planted_state *st;
	char *buf, *name;
	ssize_t ret = -ENOMEM;

	buf = kmalloc(64, GFP_KERNEL);
	if (!buf) {
		/* planted: wrong errno (-EINVAL for a failed allocation) */
		return PLANTED ? -EINVAL : -ENOMEM;
	}
	memset(buf, 'x', 64);

	name = kstrdup(KBUILD_MODNAME, GFP_KERNEL);
	if (!name) {
		/* planted: leak (buf, referenced only by a local, is not freed) */
		if (PLANTED)
			return -ENOMEM;
		goto out_buf;
	}

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		goto out_name;
	st->flags = 1;

	st->data = kmalloc(32, GFP_KERNEL);
	if (!st->data) {
		/* planted: use-after-free (st is read after kfree) */
		if (PLANTED) {
			kfree(st);
			pr_warn("%s: no data buffer (state flags %#x)\n", name,
				READ_ONCE(st->flags));
			goto out_name;
		}
		goto out_st;
	}

	st->tag = kmemdup(buf, 16, GFP_KERNEL);
	if (!st->tag) {
		/* planted: double free (st->data freed here and at out_data) */
		if (PLANTED)
			kfree(st->data);
		goto out_data;
	}

	/* planted: NULL dereference (st->item used without a check) */
	st->item = kzalloc(sizeof(*st->item), GFP_KERNEL);
	if (!PLANTED && !st->item)
		goto out_tag;
	planted_set_len(st->item, count);

	ret = count;
	kfree(st->item);
out_tag:
	kfree(st->tag);
out_data:
	kfree(st->data);
out_st:
	kfree(st);
out_name:
	kfree(name);
out_buf:
	kfree(buf);
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
	struct planted_cfg *cfg;
	char *label;
	u32 *tbl;
	int ret = -ENOMEM;

	tbl = kcalloc(4, sizeof(*tbl), GFP_KERNEL);
	if (!tbl) {
		/* planted: wrong errno (-EINVAL for a failed allocation) */
		return PLANTED ? -EINVAL : -ENOMEM;
	}

	label = kasprintf(GFP_KERNEL, "%s-init", KBUILD_MODNAME);
	if (!label) {
		/* planted: leak (tbl, referenced only by a local, is not freed) */
		if (PLANTED)
			return -ENOMEM;
		goto out_tbl;
	}

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		goto out_label;
	cfg->flags = 1;

	cfg->blob = kmalloc(48, GFP_KERNEL);
	if (!cfg->blob) {
		/* planted: use-after-free (cfg is read after kfree) */
		if (PLANTED) {
			kfree(cfg);
			pr_warn("%s: no blob (cfg flags %#x)\n", label, READ_ONCE(cfg->flags));
			goto out_label;
		}
		goto out_cfg;
	}

	cfg->copy = kmemdup(tbl, 4 * sizeof(*tbl), GFP_KERNEL);
	if (!cfg->copy) {
		/* planted: double free (label freed here and at out_label) */
		if (PLANTED)
			kfree(label);
		goto out_blob;
	}

	/* planted: NULL dereference (cfg->item used without a check) */
	cfg->item = kzalloc(sizeof(*cfg->item), GFP_KERNEL);
	if (!PLANTED && !cfg->item)
		goto out_copy;
	planted_set_len(cfg->item, strlen(label));

	ret = 0;
	kfree(cfg->item);
out_copy:
	kfree(cfg->copy);
out_blob:
	kfree(cfg->blob);
out_cfg:
	kfree(cfg);
out_label:
	kfree(label);
out_tbl:
	kfree(tbl);
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
