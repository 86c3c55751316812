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
struct service;

/* What the supervisor tells the layer above it (init core), so it never
 * calls up: boot complete (onboot ran, every service ready or failed: the
 * "keel: ready" line), boot still not complete 10 s after the start (the
 * debug shell starts anyway), a required onboot job failed (power off). */
struct supervisor_hooks {
	void (*boot_complete)(void);
	void (*boot_stuck)(void);
	void (*required_failed)(void);
	/* Two gates: before the onboot jobs and before the services. true: go
	 * on now; false: the boot waits there until init core calls
	 * supervisor_release() (PID 1's disk worker probes the data disk
	 * before its format job, mounts it and the system images after it). */
	bool (*onboot_begin)(void);
	bool (*onboot_done)(void);
	/* A service or job changed state (the boot timeline). */
	void (*unit_changed)(const struct service *s);
};

/* Scans cfg->specdir and begins the onboot phase; never fails the boot:
 * problems are logged per bundle. hooks must outlive the supervisor. */
void supervisor_start(const struct init_config *cfg, const struct supervisor_hooks *hooks);

/* Opens the gate a hook above kept closed: the boot goes on. */
void supervisor_release(void);
/* Holds a service back for this boot with a reason (status, inspect and
 * keelctl start show it): e.g. its system image did not mount. */
void supervisor_hold(const char *name, const char *why);

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
