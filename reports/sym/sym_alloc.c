/* The allocator table: which kernel functions allocate, their family and the fault types that fail them. */
#include <stddef.h>
#include <string.h>

#include "klog/fidump.h"
#include "reports/sym/sym_alloc.h"

#define SLAB_PAGE "slab,page"

/*
 * A row is a function of an allocator: what code calls to allocate (6.12
 * names them *_noprof behind the alloc_hooks() macros; the patterns cover
 * both) and the allocator's own helpers that klog/fidump.c's machinery
 * list does not name. A fault in any of them belongs to the allocator's
 * caller: the report walks past them in a site record's frames, and the
 * site scan counts a call to one as a site only from outside them. So a
 * helper listed here must have all its callers listed too, or they become
 * sites inside the allocator. Rows without a family come first: names the
 * prefixes catch that allocate nothing.
 *
 * Fault types: a slab allocation fails under fail_page_alloc too when the
 * slab needs a new page (and a large kmalloc is a page allocation), so
 * everything but the page allocator itself is "slab,page".
 */
static const struct sym_allocator table[] = {
	/* no allocation */
	{ "kmalloc_size_roundup", NULL, NULL },
	{ "kmalloc_fix_flags", NULL, NULL },
	{ "vmalloc_to_page", NULL, NULL },
	{ "vmalloc_to_pfn", NULL, NULL },
	{ "vmalloc_dump_obj", NULL, NULL },
	{ "vmalloc_nr_pages", NULL, NULL },
	{ "vmalloc_init", NULL, NULL },
	{ "get_vm_area_size", NULL, NULL },
	/* slab */
	{ "kmem_cache_alloc*", "slab", SLAB_PAGE },
	{ "kmem_cache_zalloc", "slab", SLAB_PAGE },
	{ "kmalloc*", "slab", SLAB_PAGE },
	{ "__kmalloc*", "slab", SLAB_PAGE },
	{ "kzalloc*", "slab", SLAB_PAGE },
	{ "kcalloc*", "slab", SLAB_PAGE },
	{ "krealloc*", "slab", SLAB_PAGE },
	{ "__krealloc*", "slab", SLAB_PAGE },
	{ "kstrdup*", "slab", SLAB_PAGE },
	{ "kstrndup*", "slab", SLAB_PAGE },
	{ "kmemdup*", "slab", SLAB_PAGE },
	{ "kasprintf*", "slab", SLAB_PAGE },
	{ "kvasprintf*", "slab", SLAB_PAGE },
	{ "memdup_user*", "slab", SLAB_PAGE },
	{ "strndup_user", "slab", SLAB_PAGE },
	{ "memdup_sockptr*", "slab", SLAB_PAGE },
	/* kmalloc, then vmalloc when that fails */
	{ "kvmalloc*", "kvmalloc", SLAB_PAGE },
	{ "__kvmalloc*", "kvmalloc", SLAB_PAGE },
	{ "kvzalloc*", "kvmalloc", SLAB_PAGE },
	{ "kvcalloc*", "kvmalloc", SLAB_PAGE },
	{ "kvrealloc*", "kvmalloc", SLAB_PAGE },
	{ "kvmemdup*", "kvmalloc", SLAB_PAGE },
	{ "vmemdup_user*", "kvmalloc", SLAB_PAGE },
	/* the page allocator */
	{ "alloc_pages*", "page", "page" },
	{ "__alloc_pages*", "page", "page" },
	{ "alloc_page_interleave", "page", "page" },
	{ "folio_alloc*", "page", "page" },
	{ "__folio_alloc*", "page", "page" },
	{ "vma_alloc_folio*", "page", "page" },
	{ "alloc_frozen_pages*", "page", "page" },
	{ "__alloc_frozen_pages*", "page", "page" },
	{ "__get_free_pages*", "page", "page" },
	{ "get_zeroed_page*", "page", "page" },
	{ "get_free_pages*", "page", "page" },
	{ "pagetable_alloc*", "page", "page" },
	{ "__pte_alloc_one*", "page", "page" },
	{ "pte_alloc_one*", "page", "page" },
	{ "pmd_alloc_one*", "page", "page" },
	{ "pud_alloc_one*", "page", "page" },
	{ "p4d_alloc_one*", "page", "page" },
	{ "filemap_alloc_folio*", "page", "page" },
	{ "__dev_alloc_pages*", "page", "page" },
	{ "dev_alloc_pages*", "page", "page" },
	{ "alloc_pages_exact*", "page", "page" },
	/* vmalloc: its area and vmap_area bookkeeping are slab allocations */
	{ "vmalloc*", "vmalloc", SLAB_PAGE },
	{ "__vmalloc*", "vmalloc", SLAB_PAGE },
	{ "vzalloc*", "vmalloc", SLAB_PAGE },
	{ "vcalloc*", "vmalloc", SLAB_PAGE },
	{ "vrealloc*", "vmalloc", SLAB_PAGE },
	{ "vmap", "vmalloc", SLAB_PAGE },
	{ "vm_map_ram", "vmalloc", SLAB_PAGE },
	{ "get_vm_area*", "vmalloc", SLAB_PAGE },
	{ "vm_area_alloc_pages", "vmalloc", SLAB_PAGE },
	{ "__get_vm_area*", "vmalloc", SLAB_PAGE },
	{ "new_vmap_block", "vmalloc", SLAB_PAGE },
	{ "alloc_vmap_area", "vmalloc", SLAB_PAGE },
	/* percpu: chunks from kmalloc/vmalloc, their pages from the page allocator */
	{ "__alloc_percpu*", "percpu", SLAB_PAGE },
	{ "__alloc_reserved_percpu*", "percpu", SLAB_PAGE },
	{ "pcpu_alloc_noprof", "percpu", SLAB_PAGE },
	{ "pcpu_alloc", "percpu", SLAB_PAGE },
	{ "pcpu_create_chunk", "percpu", SLAB_PAGE },
	{ "pcpu_alloc_chunk", "percpu", SLAB_PAGE },
	{ "pcpu_mem_zalloc", "percpu", SLAB_PAGE },
	{ "pcpu_populate_chunk", "percpu", SLAB_PAGE },
	{ "pcpu_alloc_pages", "percpu", SLAB_PAGE },
	{ "pcpu_get_pages", "percpu", SLAB_PAGE },
	{ "pcpu_depopulate_chunk", "percpu", SLAB_PAGE },
	{ "pcpu_memcg_pre_alloc_hook", "percpu", SLAB_PAGE },
	{ "pcpu_get_vm_areas", "percpu", SLAB_PAGE },
	{ "pcpu_balance_workfn", "percpu", SLAB_PAGE },
	{ "pcpu_balance_populated", "percpu", SLAB_PAGE },
	{ "pcpu_balance_free", "percpu", SLAB_PAGE },
	/* sk_buff head and data */
	{ "__alloc_skb", "skb", SLAB_PAGE },
	{ "alloc_skb*", "skb", SLAB_PAGE },
	{ "kmalloc_reserve", "skb", SLAB_PAGE },
	/* mempool: with a sleeping gfp it falls back to its reserve and never fails */
	{ "mempool_alloc*", "mempool", SLAB_PAGE },
	{ "mempool_kmalloc", "mempool", SLAB_PAGE },
	{ "mempool_create*", "mempool", SLAB_PAGE },
	{ "mempool_init*", "mempool", SLAB_PAGE },
	{ "mempool_alloc_slab", "mempool", SLAB_PAGE },
	{ "mempool_alloc_pages", "mempool", SLAB_PAGE },
	{ "mempool_kvmalloc", "mempool", SLAB_PAGE },
	/*
	 * 6.10+ (memory allocation profiling) puts every allocation API behind
	 * alloc_hooks(NAME_noprof(...)): the kernel's own list of allocators,
	 * rhashtable_init() and the like included.
	 */
	{ "*_noprof", "other", SLAB_PAGE },
};

static bool match(const char *pattern, const char *func, size_t n)
{
	size_t p = strlen(pattern);

	if (pattern[0] == '*')
		return n >= p - 1 && !strncmp(func + n - (p - 1), pattern + 1, p - 1);
	if (pattern[p - 1] == '*')
		return n >= p - 1 && !strncmp(func, pattern, p - 1);
	return n == p && !strncmp(func, pattern, n);
}

const struct sym_allocator *sym_allocator_of(const char *func)
{
	size_t i, n = strcspn(func, ".");

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (match(table[i].pattern, func, n))
			return table[i].family ? &table[i] : NULL;
	return NULL;
}

bool sym_alloc_inside(const char *func)
{
	return fidump_is_machinery(func) || sym_allocator_of(func) != NULL;
}

uint64_t sym_alloc_table_hash(void)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const char *f[] = { table[i].pattern, table[i].family ? table[i].family : "",
				    table[i].faults ? table[i].faults : "" };

		for (size_t k = 0; k < 3; k++)
			for (const char *c = f[k]; ; c++) {
				h = (h ^ (unsigned char)*c) * 1099511628211ull;
				if (!*c)
					break;
			}
	}
	return h;
}
