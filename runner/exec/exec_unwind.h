/*
 * User-space backtraces of a ptrace-stopped thread: libunwind-ptrace walks
 * the stack, elfutils libdwfl names each frame's module and, where debug
 * information exists, its source file:line.
 */
#ifndef FS_EXEC_UNWIND_H
#define FS_EXEC_UNWIND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define EXEC_FRAMES_MAX 16
#define EXEC_FRAME_LEN 192

struct exec_bt {
	unsigned n;
	/* "func+0xoff (file.c:12) [module]", innermost first; "0xADDR [module]" unnamed */
	char frame[EXEC_FRAMES_MAX][EXEC_FRAME_LEN];
	/* The innermost frame outside the C library, for a stable title: "func [module]" */
	char where[EXEC_FRAME_LEN];
};

/**
 * exec_unwind() - walk the stack of the ptrace-stopped thread @tid into
 * @bt (at most EXEC_FRAMES_MAX frames). For frames after the first the
 * source line is that of the call (return address - 1). 0, or -errno when
 * not even the first frame could be read.
 */
int exec_unwind(pid_t tid, struct exec_bt *bt);

/** exec_unwind_reset() - drop the cached modules of the last process (end of a sweep). */
void exec_unwind_reset(void);

#endif
