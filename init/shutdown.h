/* The final shutdown path, driven from the main loop one step at a time:
 * services (supervisor, capped) → TERM to all → grace period → KILL to all →
 * sync → unmount in reverse / remount read-only → reboot(2) from a child. */
#ifndef KEEL_INIT_SHUTDOWN_H
#define KEEL_INIT_SHUTDOWN_H

#include "power.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

void shutdown_begin(const struct init_config *cfg, enum power_action action);
void shutdown_set_action(enum power_action action);
/* Earliest monotonic ms at which shutdown_step must run again, or -1. */
int64_t shutdown_deadline(void);
/* Advances the path as far as it can without blocking. */
void shutdown_step(int64_t now);
/* Claims the reboot(2) child from the reaper. */
bool shutdown_child_exited(pid_t pid, int wstatus);

#endif
