/* Where this init runs: the machine's PID 1, or PID 1 of a PID namespace
 * (namespace tests, `unshare --pid --mount --fork`), which must not touch
 * what belongs to the host. */
#ifndef KEEL_INIT_DETECT_H
#define KEEL_INIT_DETECT_H

#include "config.h"

#include <stdbool.h>

/* Sets cfg->pid1, and cfg->in_container when not PID 1 or when the PID
 * namespace is not the initial one (keel.container=1 from argv forces it,
 * unless init is PID 1 of the initial PID namespace). */
void detect_runtime(struct init_config *cfg);
/* The decision itself: pidns is the /proc/self/ns/pid link, NULL when
 * unreadable. keel.container=1 is refused in the initial PID namespace. */
void detect_apply(struct init_config *cfg, bool pid1, const char *pidns);

/* False when init shares its mount namespace with the host's PID 1: then
 * even /proc must not be mounted over. Call before mounting /proc. */
bool detect_own_mount_ns(void);

#endif
