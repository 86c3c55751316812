/* Defence against CVE-2019-5736: the code that runs inside a container's
 * namespaces before exec comes from a sealed, anonymous copy of runc-shim. */
#ifndef SHIM_CLONED_BINARY_H
#define SHIM_CLONED_BINARY_H

#include "config.h"
#include "err.h"

#include <stdbool.h>

/* False when the container provably cannot write this binary: a new user
 * namespace that maps neither its owner nor (with g+w) its group, no write
 * bits for group/other, no ACL. Then the kernel's own permission check is
 * the defence and the copy (an extra exec, ~25% of `run`) is skipped. */
bool cloned_binary_needed(const struct config *c);
/* Returns 0 when already running from a sealed memfd; otherwise re-execs
 * itself from one (does not return on success). */
int cloned_binary_ensure(char **argv, struct kerr *err);

#endif
