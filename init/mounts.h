/* Early mounts of PID 1 (one table: source, target, type, flags, data) and
 * the unmount pass at shutdown. */
#ifndef KEEL_INIT_MOUNTS_H
#define KEEL_INIT_MOUNTS_H

#include "config.h"

/* Mounts the table in order. The machine's init mounts everything; in a
 * container (PID namespace test) only /proc and /run, so the host's /dev,
 * /sys, /tmp stay untouched. A failed mount is a warning, never fatal. */
void mounts_early(const struct init_config *cfg);

/* Unmounts every mount in reverse mount order (from /proc/self/mountinfo),
 * remounting read-only what cannot be unmounted; progress(target) is called
 * before each. Machine shutdown only, from a child under a deadline. */
void mounts_unmount_all(void (*progress)(const char *target));

#endif
