/* runner/exec_resume: where an exec sweep goes on after a dead kernel, read from a journal. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "runner/exec/exec_resume.h"
#include "tests/unit/check.h"

static const char journal[] =
	"{\"type\":\"run\",\"run\":\"r1\"}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"exec.ip.1.sendmsg\",\"area\":\"exec\",\"nth\":1,\"verdict\":\"PASS\"}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"exec.ip.1.sendmsg\",\"area\":\"exec\",\"nth\":2,\"verdict\":\"PASS\"}\n"
	"{\"type\":\"case\",\"run\":\"r1\",\"case\":\"exec.ip.1.sendmsg\",\"area\":\"exec\",\"verdict\":\"PASS\"}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"exec.ip.2.sendto\",\"area\":\"exec\",\"nth\":1,\"verdict\":\"PASS\"}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"exec.ip.2.sendto\",\"area\":\"exec\",\"nth\":2,\"verdict\":\"FAIL\"}\n"
	"{\"type\":\"report\",\"run\":\"r1\",\"case\":\"exec.ip.2.sendto\",\"area\":\"exec\",\"nth\":1,\"kind\":\"KASAN\",\"title\":\"t\",\"seq\":1,\"raw\":\"\"}\n"
	/* the step the host journaled for a dead kernel, and a line the panic cut */
	"{\"type\":\"step\",\"case\":\"exec.ip.2.sendto\",\"area\":\"exec\",\"nth\":3,\"fired\":true,\"verdict\":\"FAIL\"}\n"
	"{\"type\":\"step\",\"run\":\"r1\",\"case\":\"exec.ip.2.sen";

int main(void)
{
	char path[] = "/tmp/fs-test-exec-resume-XXXXXX";
	const struct exec_resume_case *c;
	struct exec_resume r;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK(write(fd, journal, sizeof(journal) - 1) == (ssize_t)sizeof(journal) - 1);
	close(fd);
	CHECK(exec_resume_load(path, &r) == 0);
	CHECK(exec_resume_from(&r, "exec.ip.1.sendmsg") == 0);	/* done */
	CHECK(exec_resume_from(&r, "exec.ip.2.sendto") == 4);	/* after the dead kernel's step */
	CHECK(exec_resume_from(&r, "exec.ip.3.recvmsg") == 1);	/* never started */
	c = exec_resume_case(&r, "exec.ip.2.sendto");
	CHECK(c && c->steps == 3 && c->fails == 3);	/* step 1 has a report, 2 and 3 FAIL */
	exec_resume_free(&r);
	unlink(path);
	/* No journal yet: nothing to skip. */
	CHECK(exec_resume_load(path, &r) == 0 && r.n == 0);
	CHECK(exec_resume_from(&r, "exec.ip.1.sendmsg") == 1);
	return check_summary();
}
