/* linux.sysctl: only sysctls of a namespace the container owns are
 * accepted (runc's rules), and they are written by the init after
 * pivot_root, before /proc/sys becomes read-only. */
#ifndef SHIM_SYSCTL_H
#define SHIM_SYSCTL_H

#include "config.h"

/* create, before anything is made: refuses a sysctl that would change the
 * host (not namespaced, or its namespace is shared with the host). */
int sysctl_check(const struct config *c, struct kerr *err);
/* The container init: writes each one under /proc/sys. */
int sysctl_apply(const struct config *c, struct kerr *err);

#endif
