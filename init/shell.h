/* The debug/emergency shell: /bin/sh on the console as root in the host
 * namespaces, in its own session with the console as controlling terminal,
 * respawned (at most once a second) when it exits, until shutdown. Only
 * with keel.shell=1: it is a root shell on the console. */
#ifndef KEEL_INIT_SHELL_H
#define KEEL_INIT_SHELL_H

#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Starts the shell if cfg->debug_shell (boot ready, or a fatal boot error). */
void shell_start(const struct init_config *cfg);
/* Shutdown: hangs up the shell's session (SIGHUP, which an interactive
 * shell does not ignore, unlike TERM); it is not started again. */
void shell_stop_respawn(void);
bool shell_child_exited(pid_t pid, int wstatus);
/* Earliest monotonic ms for shell_tick (a pending respawn), or -1. */
int64_t shell_deadline(void);
void shell_tick(int64_t now);

#endif
