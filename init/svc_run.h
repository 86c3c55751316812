/* The service layer's hands (svc_run.c): runc-shim create/start/delete,
 * the instance's pid, pidfd and cgroup, signals and cgroup.kill. */
#ifndef KEEL_INIT_SVC_RUN_H
#define KEEL_INIT_SVC_RUN_H

#include "service.h"

#include <stdbool.h>
#include <sys/types.h>

/* runc-shim's --root for every service; the container id is the service's
 * name (keelctl exec and inspect find a service's state there). */
#define SVC_RUNC_ROOT "/run/keel/runc"

/* svc_run.c: the outside world. Each returns 0 or -errno and logs. */
int svc_run_create(struct service *s);
int svc_run_start(struct service *s);
int svc_run_delete(struct service *s);
int svc_read_pid(struct service *s);
void svc_signal(struct service *s, int sig);
void svc_kill_instance(struct service *s); /* cgroup.kill, or SIGKILL the pid */
int svc_run_prepare(void);
/* An unknown pid the reaper got: true when it is this service's instance
 * that exited before its pid file was read (kept until then). */
bool svc_claim_early_exit(struct service *s, pid_t pid, int wstatus);

#endif
