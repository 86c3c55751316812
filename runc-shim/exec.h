/* `exec`: a new process inside a running container. */
#ifndef SHIM_EXEC_H
#define SHIM_EXEC_H

#include "container.h"
#include "state.h"

/* Starts l->cfg->proc inside the container of s as our child: joins its
 * namespaces and cgroup, applies the process's identity, capabilities,
 * no_new_privs and l->seccomp, and returns once it has exec'd (0, *pid
 * set) or failed (its error; nothing is left running). */
int exec_spawn(const struct state *s, struct launch *l, pid_t *pid, struct kerr *err);

#endif
