/* Unit tests of the kernel report parsers: /dev/kmsg records, and every fixture in tests/fixtures/kreport/. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klog/kmsg.h"
#include "klog/kreport.h"
#include "tests/unit/check.h"

#define MAX_REPORTS 8

struct expect {
	const char *kind, *title, *guilty, *module;
	int pid;
	const char *comm;
};

struct fixture {
	const char *file;
	int n;
	struct expect e[4];
};

static const struct fixture fixtures[] = {
	{ "kasan_slab_uaf.txt", 1, { { "KASAN", "KASAN: slab-use-after-free Read in planted_uaf_read",
		"planted_uaf_read", "planted", 187, "insmod" } } },
	{ "kasan_double_free.txt", 1, { { "KASAN", "KASAN: double-free in planted_double_free",
		"planted_double_free", "planted", 190, "repro" } } },
	{ "kasan_invalid_free.txt", 1, { { "KASAN", "KASAN: invalid-free in planted_invalid_free",
		"planted_invalid_free", "planted", 191, "repro" } } },
	{ "kasan_slab_oob.txt", 1, { { "KASAN", "KASAN: slab-out-of-bounds Write in planted_oob_write",
		"planted_oob_write", "planted", 192, "repro" } } },
	{ "kasan_null_ptr_deref.txt", 1, { { "KASAN", "KASAN: null-ptr-deref Write in planted_null_memset",
		"planted_null_memset", "planted", 195, "repro" } } },
	{ "kasan_wild_memory_access.txt", 1, { { "KASAN",
		"KASAN: wild-memory-access Write in planted_wild_write", "planted_wild_write", "planted",
		196, "kworker/1:2" } } },
	{ "kfence_uaf.txt", 1, { { "KFENCE", "KFENCE: use-after-free read in planted_kfence_uaf",
		"planted_kfence_uaf", "planted", 203, "repro" } } },
	{ "ubsan_array_index.txt", 1, { { "UBSAN", "UBSAN: array-index-out-of-bounds in planted_ubsan_oob",
		"planted_ubsan_oob", "planted", 230, "repro" } } },
	{ "warning.txt", 1, { { "WARNING", "WARNING in planted_warn", "planted_warn", "planted",
		212, "repro" } } },
	{ "bug_null_deref.txt", 1, { { "BUG", "BUG: kernel NULL pointer dereference in planted_null_deref",
		"planted_null_deref", "planted", 240, "repro" } } },
	{ "bug_page_fault.txt", 1, { { "BUG", "BUG: unable to handle page fault in planted_vmalloc_oob",
		"planted_vmalloc_oob", "planted", 241, "repro" } } },
	{ "bug_sched_atomic.txt", 1, { { "BUG", "BUG: scheduling while atomic in planted_sleep_atomic",
		"planted_sleep_atomic", "planted", 250, "repro" } } },
	{ "bug_sleeping.txt", 1, { { "BUG",
		"BUG: sleeping function called from invalid context in planted_sleep_in_spin",
		"planted_sleep_in_spin", "planted", 260, "repro" } } },
	{ "bug_spinlock_magic.txt", 1, { { "BUG", "BUG: spinlock bad magic in planted_bad_magic",
		"planted_bad_magic", "planted", 270, "repro" } } },
	{ "kernel_bug.txt", 1, { { "kernel-BUG", "kernel BUG in planted_bug_on", "planted_bug_on",
		"planted", 280, "repro" } } },
	{ "oops_divide_error.txt", 1, { { "Oops", "divide error in planted_div0", "planted_div0",
		"planted", 290, "repro" } } },
	{ "gpf_kasan.txt", 1, { { "GPF", "general protection fault in planted_gpf", "planted_gpf",
		"planted", 300, "repro" } } },
	{ "lockdep_circular.txt", 1, { { "lockdep", "possible deadlock in planted_ab_ba",
		"planted_ab_ba", "planted", 310, "repro" } } },
	{ "lockdep_inconsistent.txt", 1, { { "lockdep", "inconsistent lock state in planted_timer_fn",
		"planted_timer_fn", "planted", 0, "swapper/1" } } },
	{ "lockdep_recursive.txt", 1, { { "lockdep", "possible recursive locking in planted_double_lock",
		"planted_double_lock", "planted", 320, "repro" } } },
	{ "lockdep_return_user.txt", 1, { { "lockdep",
		"lock held when returning to user space in planted_lock_leak", "planted_lock_leak",
		"planted", 330, "repro" } } },
	{ "hung_task.txt", 1, { { "hung-task", "INFO: task hung in planted_hang", "planted_hang",
		"planted", 340, "repro" } } },
	{ "rcu_stall.txt", 1, { { "rcu-stall", "INFO: rcu detected stall in planted_spin", "planted_spin",
		"planted", 350, "repro" } } },
	{ "refcount.txt", 1, { { "refcount", "refcount bug in planted_put", "planted_put", "planted",
		360, "repro" } } },
	{ "list_corruption.txt", 1, { { "list-corruption", "list corruption in planted_list_del_twice",
		"planted_list_del_twice", "planted", 370, "repro" } } },
	{ "list_corruption_bug.txt", 1, { { "list-corruption",
		"list corruption in planted_list_add_twice", "planted_list_add_twice", "planted",
		371, "repro" } } },
	{ "panic.txt", 1, { { "panic", "kernel panic: Attempted to kill init! exitcode=0x0000000b",
		"do_exit", "", 1, "init" } } },
	{ "kmemleak.txt", 2, {
		{ "memory-leak", "memory leak in planted_leak", "planted_leak", "planted", 380, "repro" },
		{ "memory-leak", "memory leak in planted_work_dup", "planted_work_dup", "planted",
		  57, "kworker/u8:3" } } },
	{ "kmemleak_debugfs.txt", 1, { { "memory-leak", "memory leak in planted_leak_name",
		"planted_leak_name", "planted", 381, "repro" } } },
	/* A module unloaded before the scan: the bare address stays the guilty frame. */
	{ "kmemleak_unloaded.txt", 1, { { "memory-leak", "memory leak in 0xffffffffa0018046",
		"0xffffffffa0018046", "", 412, "fs#7" } } },
	{ "interleaved.txt", 1, { { "KASAN", "KASAN: slab-use-after-free Read in planted_race_read",
		"planted_race_read", "planted", 402, "planted-kthread" } } },
	{ "interleaved_caller.txt", 1, { { "WARNING", "WARNING in planted_big_alloc",
		"planted_big_alloc", "planted", 410, "sweeper-a" } } },
	{ "truncated.txt", 4, {
		{ "KASAN", "KASAN: slab-out-of-bounds Read in planted_oob_read", "planted_oob_read",
		  "planted", 500, "repro" },
		{ "WARNING", "WARNING in planted_warn_after", "planted_warn_after", "planted", 501, "repro2" },
		{ "hung-task", "INFO: task hung in planted_wait_forever", "planted_wait_forever", "planted",
		  502, "repro3" },
		{ "unknown", "unknown: planted: WARN message whose header was lost", "", "", -1, "" } } },
	{ "fault_inject_only.txt", 0, { { NULL, NULL, NULL, NULL, 0, NULL } } },
};

static bool is_kmsg(const char *s)
{
	unsigned a, b;
	unsigned long long c;

	return sscanf(s, "%u,%u,%llu,", &a, &b, &c) == 3;
}

/* Feed a fixture: /dev/kmsg records (a line plus its " KEY=value" lines) or console lines. */
static int run(const char *text, size_t len, struct kreport **out)
{
	struct kreport_parser *p = kreport_new();
	struct kmsg_rec *rec = malloc(sizeof(*rec));
	const char *s = text, *end = text + len;
	bool kmsg = is_kmsg(text);
	uint64_t lineno = 0;
	struct kreport *r;
	int n = 0;

	CHECK(p && rec);
	if (!p || !rec)
		exit(1);
	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		char line[8192];
		size_t l;

		e = e ? e : end;
		if (kmsg) {
			while (e < end && e + 1 < end && e[1] == ' ')
				e = memchr(e + 1, '\n', (size_t)(end - e - 1)) ?: end;
			CHECK(kmsg_parse_record(s, (size_t)(e - s), rec) == 0);
			CHECK(kreport_feed_kmsg(p, rec) >= 0);
		} else {
			l = (size_t)(e - s) < sizeof(line) ? (size_t)(e - s) : sizeof(line) - 1;
			memcpy(line, s, l);
			line[l] = '\0';
			CHECK(kreport_feed(p, line, ++lineno, 0) >= 0);
		}
		s = e + 1;
	}
	CHECK(kreport_flush(p) >= 0);
	while ((r = kreport_next(p)) != NULL) {
		if (n < MAX_REPORTS)
			out[n++] = r;
		else
			kreport_free(r);
	}
	kreport_destroy(p);
	free(rec);
	return n;
}

static void test_kmsg(void)
{
	static struct kmsg_rec r;
	const char *rec;

	rec = "4,1234,5678901,-;WARNING: CPU: 0 PID: 1 at foo\n SUBSYSTEM=misc\n DEVICE=c10:1\n";
	CHECK(kmsg_parse_record(rec, strlen(rec), &r) == 0);
	CHECK(r.level == 4 && r.facility == 0 && r.seq == 1234 && r.usec == 5678901 && !r.cont);
	CHECK_STR(r.text, "WARNING: CPU: 0 PID: 1 at foo");
	CHECK(!r.has_caller);

	rec = "11,7,8,c,caller=C3;a\\x0ab\\x5cc\\x09d\\x00e";
	CHECK(kmsg_parse_record(rec, strlen(rec), &r) == 0);
	CHECK(r.level == 3 && r.facility == 1 && r.cont && r.has_caller);
	CHECK(r.caller == (KMSG_CALLER_CPU | 3));
	CHECK_STR(r.text, "a\nb\\c\td?e");
	CHECK(r.len == 9);

	rec = "6,1,2,-,caller=T42,future=x;msg \\xZZ \\x4";
	CHECK(kmsg_parse_record(rec, strlen(rec), &r) == 0);
	CHECK(r.caller == 42 && !strcmp(r.text, "msg \\xZZ \\x4"));

	/* Not a record: never a crash, always -EINVAL. */
	CHECK(kmsg_parse_record("", 0, &r) == -EINVAL);
	CHECK(kmsg_parse_record("hello", 5, &r) == -EINVAL);
	CHECK(kmsg_parse_record("6,1,2;m", 7, &r) == -EINVAL);
	CHECK(kmsg_parse_record("6,1,2,x;m", 9, &r) == -EINVAL);
	CHECK(kmsg_parse_record("6,1,,-;m", 8, &r) == -EINVAL);
	CHECK(kmsg_parse_record("6,99999999999999999999999,1,-;m", 31, &r) == -EINVAL);
	CHECK(kmsg_parse_record("6,1,2,-,caller=T;m", 18, &r) == -EINVAL);
	CHECK(kmsg_parse_record("6,1,2,-\n;m", 10, &r) == -EINVAL);
	CHECK(kmsg_parse_record(NULL, 3, &r) == -EINVAL);
	/* Length bounds the record, not the NUL. */
	CHECK(kmsg_parse_record("6,1,2,-;abcdef", 10, &r) == 0 && !strcmp(r.text, "ab"));
}

/* Field checks beyond kind/title/guilty/pid/comm. */
static void check_extra(const char *file, struct kreport **r, int n)
{
	if (!strcmp(file, "kasan_slab_uaf.txt") && n == 1) {
		CHECK_STR(r[0]->bug_type, "slab-use-after-free");
		CHECK_STR(r[0]->access, "Read");
		CHECK(r[0]->access_size == 8 && r[0]->have_addr && r[0]->addr == 0xffff888103c1e208ull);
		CHECK(r[0]->alloc.pid == 187 && r[0]->alloc.nframes >= 3);
		CHECK_STR(r[0]->alloc.frames[0].func, "planted_uaf_read");
		CHECK(r[0]->freed.pid == 187 && r[0]->freed.nframes >= 3);
		CHECK_STR(r[0]->freed.frames[0].func, "planted_uaf_read");
		CHECK_STR(r[0]->func, "planted_uaf_read");
		CHECK(r[0]->complete && r[0]->usec == 31234567);
		CHECK(strstr(r[0]->raw, "Memory state around the buggy address:") != NULL);
		CHECK(strstr(r[0]->raw, "planted: uaf_read done") == NULL);
	} else if (!strcmp(file, "kasan_double_free.txt") && n == 1) {
		CHECK_STR(r[0]->access, "Free");
		CHECK(r[0]->freed.pid == 190 && r[0]->seq == 2);
	} else if (!strcmp(file, "kfence_uaf.txt") && n == 1) {
		CHECK_STR(r[0]->bug_type, "use-after-free");
		CHECK_STR(r[0]->access, "Read");
		CHECK(r[0]->alloc.pid == 203 && r[0]->freed.pid == 203 && r[0]->seq == 1201);
		CHECK(r[0]->alloc.nframes > 0 && !strcmp(r[0]->alloc.frames[0].func, "planted_kfence_uaf"));
		CHECK(r[0]->complete && strstr(r[0]->raw, "SUBSYSTEM") == NULL);
	} else if (!strcmp(file, "warning.txt") && n == 1) {
		CHECK_STR(r[0]->file, "tests/modules/planted/planted.c");
		CHECK(r[0]->line == 88 && r[0]->complete && !r[0]->panicked);
		CHECK_STR(r[0]->func, "planted_warn");
		CHECK(strstr(r[0]->raw, "cut here") != NULL);
	} else if (!strcmp(file, "ubsan_array_index.txt") && n == 1) {
		CHECK_STR(r[0]->bug_type, "array-index-out-of-bounds");
		CHECK(r[0]->line == 102 && !strcmp(r[0]->file, "tests/modules/planted/planted.c"));
	} else if (!strcmp(file, "bug_null_deref.txt") && n == 1) {
		CHECK(r[0]->panicked && r[0]->complete && r[0]->addr == 0x10);
		CHECK(strstr(r[0]->raw, "---[ end Kernel panic") != NULL);
	} else if (!strcmp(file, "gpf_kasan.txt") && n == 1) {
		CHECK_STR(r[0]->bug_type, "null-ptr-deref");
		CHECK(r[0]->addr == 0x10);
	} else if (!strcmp(file, "refcount.txt") && n == 1) {
		CHECK_STR(r[0]->file, "lib/refcount.c");
		CHECK_STR(r[0]->func, "refcount_warn_saturate");
	} else if (!strcmp(file, "kernel_bug.txt") && n == 1) {
		CHECK(r[0]->line == 120 && r[0]->complete);
	} else if (!strcmp(file, "bug_sleeping.txt") && n == 1) {
		CHECK_STR(r[0]->file, "kernel/locking/mutex.c");
	} else if (!strcmp(file, "lockdep_circular.txt") && n == 1) {
		CHECK_STR(r[0]->bug_type, "circular-locking");
		CHECK(r[0]->complete && !strcmp(r[0]->func, "planted_ab_ba"));
	} else if (!strcmp(file, "interleaved.txt") && n == 1) {
		CHECK(r[0]->alloc.pid == 401 && r[0]->freed.pid == 402);
		CHECK(strstr(r[0]->raw, "should_failslab") == NULL);
		CHECK(r[0]->complete);
	} else if (!strcmp(file, "interleaved_caller.txt") && n == 1) {
		CHECK_STR(r[0]->func, "__alloc_pages_noprof");
		CHECK(strstr(r[0]->raw, "pipe_write") == NULL && strstr(r[0]->raw, "eth0") == NULL);
	} else if (!strcmp(file, "lockdep_return_user.txt") && n == 1) {
		CHECK(r[0]->complete && strstr(r[0]->raw, "returned to user space") == NULL);
	} else if (!strcmp(file, "truncated.txt") && n == 4) {
		CHECK(!r[0]->complete && r[1]->complete && !r[2]->complete && !r[3]->complete);
	}
}

static void test_fixture(const char *dir, const struct fixture *fx)
{
	struct kreport *r[MAX_REPORTS];
	char path[4096];
	size_t len = 0;
	char *text;
	int i, n;

	snprintf(path, sizeof(path), "%s/%s", dir, fx->file);
	text = check_slurp(path, &len);
	CHECK(text != NULL);
	if (!text) {
		fprintf(stderr, "cannot read %s\n", path);
		return;
	}
	n = run(text, len, r);
	if (n != fx->n)
		fprintf(stderr, "%s: %d reports, expected %d\n", fx->file, n, fx->n);
	CHECK(n == fx->n);
	for (i = 0; i < n && i < fx->n; i++) {
		const struct expect *e = &fx->e[i];

		CHECK_STR(kreport_kind_str(r[i]->kind), e->kind);
		CHECK_STR(r[i]->title, e->title);
		CHECK_STR(r[i]->guilty.func, e->guilty);
		CHECK_STR(r[i]->guilty.module, e->module);
		CHECK(r[i]->pid == e->pid);
		CHECK_STR(r[i]->comm, e->comm);
		CHECK(r[i]->raw && r[i]->raw_len == strlen(r[i]->raw) && r[i]->raw_len > 0);
	}
	check_extra(fx->file, r, n);
	for (i = 0; i < n; i++)
		kreport_free(r[i]);
	free(text);
}

/* Reports from @text fed as one multi-line string (kreport_feed splits it). */
static int run_text(const char *text, struct kreport **out)
{
	struct kreport_parser *p = kreport_new();
	struct kreport *r;
	int n = 0;

	CHECK(kreport_feed(p, text, 7, 123) >= 0);
	CHECK(kreport_flush(p) >= 0);
	while ((r = kreport_next(p)) != NULL) {
		if (n < MAX_REPORTS)
			out[n++] = r;
		else
			kreport_free(r);
	}
	kreport_destroy(p);
	return n;
}

static void free_all(struct kreport **r, int n)
{
	while (n > 0)
		kreport_free(r[--n]);
}

static void test_inline(void)
{
	struct kreport *r[MAX_REPORTS];
	int n;

	/* A soft lockup behind the watchdog's prefix, blamed on the interrupted function. */
	n = run_text("<0>[   52.100000] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [repro:777]\n"
		     "Modules linked in: planted(O)\n"
		     "CPU: 0 UID: 0 PID: 777 Comm: repro Tainted: G             L     6.12.0 #1\n"
		     "RIP: 0010:planted_spin+0x14/0x30 [planted]\n"
		     "Call Trace:\n <IRQ>\n ? watchdog_timer_fn+0x1de/0x260\n"
		     " ? __hrtimer_run_queues+0x5d7/0xb60\n </IRQ>\n <TASK>\n"
		     " ? planted_spin+0x14/0x30 [planted]\n planted_ioctl+0xd0/0x110 [planted]\n"
		     " </TASK>\n", r);
	CHECK(n == 1);
	if (n == 1) {
		CHECK_STR(r[0]->title, "BUG: soft lockup in planted_spin");
		CHECK(r[0]->pid == 777 && !strcmp(r[0]->comm, "repro"));
		CHECK(r[0]->seq == 7 && r[0]->usec == 123 && r[0]->complete);
	}
	free_all(r, n);

	/* panic_on_warn: the panic and its stack stay in the WARNING. */
	n = run_text("------------[ cut here ]------------\n"
		     "WARNING: CPU: 1 PID: 9 at a.c:3 planted_w+0x1/0x2 [planted]\n"
		     "Modules linked in: planted(O)\n"
		     "Kernel panic - not syncing: kernel: panic_on_warn set ...\n"
		     "CPU: 1 UID: 0 PID: 9 Comm: w Not tainted 6.12.0 #1\n"
		     "Call Trace:\n <TASK>\n dump_stack_lvl+0x7d/0xa0\n panic+0x6a4/0x750\n"
		     " check_panic_on_warn+0xab/0xb0\n __warn+0xf2/0x1e0\n planted_w+0x1/0x2 [planted]\n"
		     " planted_caller+0x1/0x2 [planted]\n </TASK>\n"
		     "Kernel Offset: disabled\n"
		     "---[ end Kernel panic - not syncing: kernel: panic_on_warn set ... ]---\n"
		     "after\n", r);
	CHECK(n == 1);
	if (n == 1) {
		CHECK_STR(r[0]->title, "WARNING in planted_w");
		CHECK(r[0]->panicked && r[0]->complete && r[0]->pid == 9 && !strcmp(r[0]->comm, "w"));
		CHECK(strstr(r[0]->raw, "after") == NULL);
	}
	free_all(r, n);

	/* Frames alone, a lone "=====", garbage: no report. */
	n = run_text(" kfree+0x1/0x2\n==========================\n\x01\xff]]\n <TASK>\n", r);
	CHECK(n == 0);
	free_all(r, n);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : FS_SOURCE_DIR "/tests/fixtures/kreport";
	size_t i;

	test_kmsg();
	test_inline();
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		test_fixture(dir, &fixtures[i]);
	CHECK_STR(kreport_kind_str(KREPORT_NR_KINDS), "unknown");
	CHECK_STR(kreport_kind_str(KREPORT_MEMORY_LEAK), "memory-leak");
	CHECK(kreport_feed(NULL, "x", 0, 0) == -EINVAL && kreport_flush(NULL) == -EINVAL);
	return check_summary();
}
