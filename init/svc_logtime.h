/* Arrival times of a service's log output (svc_logtime.c), for keelctl
 * logs -t. */
#ifndef KEEL_INIT_SVC_LOGTIME_H
#define KEEL_INIT_SVC_LOGTIME_H

#include "service.h"

#include <stdint.h>

/* svc_logtime.c: called before each append to the ring; the time of the
 * byte at pos (ms since the epoch), or -1 when too old to know. */
void svc_log_time_mark(struct service *s);
int64_t svc_log_time_at(const struct service *s, uint64_t pos);

#endif
