/* Killing what is left of a container (or an exec'd process) and waiting
 * until it is gone: the one way every verb does it. */
#ifndef SHIM_KILL_WAIT_H
#define SHIM_KILL_WAIT_H

#include "err.h"

#include <stdint.h>
#include <sys/types.h>

/* SIGKILLs everything in cgroup ("" none), then pid (pid <= 0: none),
 * pinned by a pidfd and checked against start_time (0: our own child, no
 * check), and waits until it has exited (reaping it when it is ours). */
int kill_wait(const char *cgroup, pid_t pid, uint64_t start_time, struct kerr *err);

#endif
