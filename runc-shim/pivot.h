/* Entering the rootfs (pivot_root, or --no-pivot's move + chroot), and the
 * check that the /proc we then see is the kernel's. */
#ifndef SHIM_PIVOT_H
#define SHIM_PIVOT_H

#include "err.h"

#include <stdbool.h>

int pivot_into(const char *rootfs, bool no_pivot, struct kerr *err);
/* Fails unless /proc is the root of a procfs mount: everything written
 * through it afterwards (sysctls, oom_score_adj, /proc/self/fd reopens)
 * must reach the kernel, not a file the image planted (CVE-2019-16884). */
int pivot_check_proc(struct kerr *err);

#endif
