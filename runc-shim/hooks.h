/* OCI hooks: each runs as a child with the container's state JSON on its
 * stdin, its own args/env, and an optional timeout. Where each kind runs
 * and what a failure means follows the runtime spec (see hooks.c). */
#ifndef SHIM_HOOKS_H
#define SHIM_HOOKS_H

#include "config.h"
#include "container.h"
#include "state.h"

#include <stdbool.h>
#include <sys/types.h>

/* What a hook reads on stdin (annotations come from the config). */
struct hook_state {
	const char *id, *status, *bundle;
	pid_t pid;
};

/* Runs every hook of kind in order; the first failure is returned. */
int hooks_run(const struct config *c, enum hook_kind kind, const struct hook_state *s,
	      struct kerr *err);

/* create, parent side: when the child asks (after its mounts, before
 * pivot_root), runs prestart and createRuntime in the runtime's namespaces
 * and tells it the init's host pid. A failure fails create. */
int hooks_serve_create(const struct launch *l, pid_t pid, struct kerr *err);
/* create, container init: asks the parent to run its hooks, then runs
 * createContainer in the container's mount namespace, before pivot_root. */
int hooks_container_created(struct launch *l, struct kerr *err);
/* start, container init: startContainer, after pivot_root, before exec. */
int hooks_container_starting(const struct launch *l, struct kerr *err);
/* start/delete: poststart or poststop from the bundle's config; a failure
 * is a warning, the lifecycle goes on (the spec's words). */
void hooks_run_after(const struct state *s, enum hook_kind kind, const char *status);

#endif
