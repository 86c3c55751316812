/* Creating and joining namespaces for the container init. */
#ifndef SHIM_NAMESPACES_H
#define SHIM_NAMESPACES_H

#include "config.h"

#include <sys/types.h>

/* Starts fn(arg) in a new process inside the config's namespaces (cgroup
 * excepted: the child unshares it once it sits in its cgroup). The process
 * is always a child of the caller. fn must not return. */
int ns_spawn(const struct config *c, const int sync_fds[2], void (*fn)(void *), void *arg,
	     pid_t *pid, struct kerr *err);
/* The ns name for messages ("network"). */
const char *ns_name(int type);

#endif
