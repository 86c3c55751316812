/* The service supervisor: reads the spec directory, runs onboot bundles, starts
 * services in dependency order through runc-shim, supervises and restarts them,
 * runs onshutdown bundles and stops services at shutdown. Owned by supervisor.c
 * and its helpers; called by init's main loop (init core). */
#ifndef KEEL_INIT_SUPERVISOR_H
#define KEEL_INIT_SUPERVISOR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct init_config;

/* Scans cfg->specdir and begins the onboot phase; never fails the boot:
 * problems are logged per bundle. Calls init_boot_complete() once onboot has
 * run and every service is ready or failed. */
void supervisor_start(const struct init_config *cfg);

/* Hooks into init core (power.c): boot complete ("keel: ready"), and boot
 * still not complete BOOT_STUCK_MS after the supervisor started (the debug
 * shell starts anyway). */
void init_boot_complete(void);
void init_boot_stuck(void);

/* A reaped child (from init's waitpid(-1) loop). Returns true when the pid
 * belonged to the supervisor (a service, a runc-shim call, an onboot job). */
bool supervisor_child_exited(pid_t pid, int wstatus);

/* Earliest monotonic ms at which supervisor_tick() must run, or -1. */
int64_t supervisor_deadline(void);
void supervisor_tick(int64_t now);

/* Shutdown: run onshutdown bundles, then stop services in reverse dependency
 * order (stop signal, stop timeout, cgroup.kill). Asynchronous: init polls
 * supervisor_shutdown_done() from its loop. */
void supervisor_shutdown_begin(void);
/* The most the shutdown phase above can take (docs/supervisor.md): init
 * core's cap for it, so every service gets its own stop-timeout. */
int64_t supervisor_shutdown_budget_ms(void);
bool supervisor_shutdown_done(void);

#endif
