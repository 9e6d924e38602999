// SPDX-License-Identifier: GPL-2.0
/* fs_planted_clean: planted.c with every error path correct. */
#define FS_PLANTED_CLEAN
#include "planted.c"
