/* The supervisor's insides shared by its own files (supervisor.c and
 * supervisor_rescan.c) and nobody else. */
#ifndef KEEL_INIT_SUPERVISOR_INT_H
#define KEEL_INIT_SUPERVISOR_INT_H

#include <stdbool.h>
#include <stddef.h>

struct service;
struct init_config;

/* The registry, as the service layer's svc_ops see it. */
bool supervisor_deps_ready(const struct service *s);
void supervisor_changed(struct service *s);
bool supervisor_shutting_down(void);
const struct init_config *supervisor_config(void);

/* Writes a one-line message into why (cut at size); returns -1. */
int supervisor_msg(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The slot array (SPECDIR_MAX_BUNDLES long, never moves) and its count. */
struct service *supervisor_slots(size_t **n);
bool supervisor_in_services_phase(void);
/* The boot gate the supervisor waits at ("the data disk probe"), or NULL. */
const char *supervisor_gate(void);
/* Resolves after/needs of every bundle again (boot, rescan): a service
 * that became unresolvable is failed (stopped if running), one that became
 * resolvable gets rescan_start. */
void supervisor_resolve_order(void);
/* svc_log_open, or the bundle failed with the reason. 0 or -errno. */
int supervisor_log_open(struct service *s);
/* fn runs each time the services phase settles (supervisor_rescan.c sits
 * above supervisor.c and finishes removals and changes there). */
void supervisor_on_settle(void (*fn)(void));

#endif
