/* Defence against CVE-2019-5736: the code that runs inside a container's
 * namespaces before exec comes from a sealed, anonymous copy of runc-shim. */
#ifndef SHIM_CLONED_BINARY_H
#define SHIM_CLONED_BINARY_H

#include "err.h"

/* Returns 0 when already running from a sealed memfd; otherwise re-execs
 * itself from one (does not return on success). */
int cloned_binary_ensure(char **argv, struct kerr *err);

#endif
