/* What the control commands (ctl_cmds.c) may see and do of the supervisor. */
#ifndef KEEL_INIT_SUPERVISOR_CTL_H
#define KEEL_INIT_SUPERVISOR_CTL_H

#include <stddef.h>

struct service;

enum ctl_op { CTL_START, CTL_STOP, CTL_RESTART };

size_t supervisor_count(void);
struct service *supervisor_at(size_t i);
struct service *supervisor_find(const char *name);
/* 0, or -1 with a one-line reason in why. */
int supervisor_ctl(struct service *s, enum ctl_op op, char *why, size_t size);
/* Sends sig to the service's running instance: 0, or -1 with a reason. */
int supervisor_signal(struct service *s, int sig, char *why, size_t size);
/* keelctl rescan (supervisor_rescan.c): report() is called once per added,
 * removed or changed bundle ("added", "removed", "changed"). 0, or -1
 * with a reason in why. */
int supervisor_rescan(void (*report)(void *ctx, const char *what, const struct service *s),
		      void *ctx, char *why, size_t size);
/* For a waiting service, why: "waiting: db failed"; "" otherwise. */
void supervisor_wait_reason(const struct service *s, char *buf, size_t size);

#endif
