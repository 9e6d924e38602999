/* runner/exec_sys: --syscalls parsing (default set, additions, removals, errors) and the filter. */
#include <errno.h>
#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "runner/exec/exec_sys.h"
#include "tests/unit/check.h"

static void test_default(void)
{
	struct exec_sysset s;
	char why[256] = "";

	CHECK(exec_sys_parse(NULL, &s, why, sizeof(why)) == 0);
	CHECK(exec_sys_has(&s, SYS_sendmsg));
	CHECK(exec_sys_has(&s, SYS_openat));
	CHECK(exec_sys_has(&s, SYS_read));
	/* Noisy: left out. */
	CHECK(!exec_sys_has(&s, SYS_mmap));
	CHECK(!exec_sys_has(&s, SYS_brk));
	CHECK(!exec_sys_has(&s, SYS_futex));
	CHECK(!exec_sys_has(&s, SYS_execve));
	/* Never return: never trapped. */
	CHECK(!exec_sys_has(&s, SYS_exit_group));
	CHECK(!exec_sys_has(&s, SYS_rt_sigreturn));
	CHECK(s.n > 250);
	CHECK(exec_sys_parse("", &s, why, sizeof(why)) == 0 && exec_sys_has(&s, SYS_socket));
}

static void test_lists(void)
{
	struct exec_sysset s, d;
	char why[256] = "";

	CHECK(exec_sys_parse("sendmsg", &s, why, sizeof(why)) == 0);
	CHECK(s.n == 1 && exec_sys_has(&s, SYS_sendmsg));
	CHECK(exec_sys_parse("sendmsg,sendto,sendmsg", &s, why, sizeof(why)) == 0);
	CHECK(s.n == 2 && exec_sys_has(&s, SYS_sendto));
	/* A number is a syscall number. */
	CHECK(exec_sys_parse("46", &s, why, sizeof(why)) == 0 && exec_sys_has(&s, 46) && s.n == 1);
	/* A leading removal starts from the default set. */
	CHECK(exec_sys_parse(NULL, &d, why, sizeof(why)) == 0);
	CHECK(exec_sys_parse("-read,-write", &s, why, sizeof(why)) == 0);
	CHECK(s.n == d.n - 2 && !exec_sys_has(&s, SYS_read) && exec_sys_has(&s, SYS_openat));
	CHECK(exec_sys_parse("default,mmap", &s, why, sizeof(why)) == 0);
	CHECK(s.n == d.n + 1 && exec_sys_has(&s, SYS_mmap));
	CHECK(exec_sys_parse("all", &s, why, sizeof(why)) == 0);
	CHECK(exec_sys_has(&s, SYS_mmap) && exec_sys_has(&s, SYS_futex));
	CHECK(!exec_sys_has(&s, SYS_exit_group));
	CHECK(exec_sys_parse("all,-mmap", &s, why, sizeof(why)) == 0 && !exec_sys_has(&s, SYS_mmap));
}

static void test_errors(void)
{
	struct exec_sysset s;
	char why[256] = "";

	CHECK(exec_sys_parse("sendmsgg", &s, why, sizeof(why)) == -EINVAL);
	CHECK(strstr(why, "'sendmsgg'") != NULL);
	CHECK(exec_sys_parse("exit_group", &s, why, sizeof(why)) == -EINVAL);
	CHECK(strstr(why, "never returns") != NULL);
	CHECK(exec_sys_parse("read,-read", &s, why, sizeof(why)) == -EINVAL);
	CHECK(strstr(why, "selects no syscall") != NULL);
	CHECK(exec_sys_parse(",", &s, why, sizeof(why)) == -EINVAL);
	CHECK(exec_sys_parse("read,,write", &s, why, sizeof(why)) == 0 && s.n == 2);
	CHECK(exec_sys_parse("-default", &s, why, sizeof(why)) == -EINVAL);
	CHECK(exec_sys_parse("99999", &s, why, sizeof(why)) == -EINVAL);
}

static void test_names_filter(void)
{
	struct exec_sysset s;
	char buf[64], why[256];
	void *insns = NULL;
	unsigned short n = 0;

	CHECK_STR(exec_sys_name(SYS_sendmsg, buf, sizeof(buf)), "sendmsg");
	CHECK_STR(exec_sys_name(1000, buf, sizeof(buf)), "sys_1000");
	CHECK(exec_sys_parse("sendmsg,socket", &s, why, sizeof(why)) == 0);
	CHECK(exec_sys_filter(&s, &insns, &n) == 0);
	CHECK(insns != NULL && n > 4);
	/* The first instruction loads the architecture (struct seccomp_data at 4). */
	CHECK(insns && ((struct sock_filter *)insns)[0].code == (BPF_LD | BPF_W | BPF_ABS));
	free(insns);
}

int main(void)
{
	test_default();
	test_lists();
	test_errors();
	test_names_filter();
	return check_summary();
}
