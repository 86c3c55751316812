/* The supervisor's API for keelctl (supervisor_ctl.h): start, stop,
 * restart, signal, and why a service waits. Sits above supervisor.c and
 * uses only its public functions. */
#include "parse.h"
#include "service.h"
#include "supervisor_ctl.h"
#include "supervisor_int.h"
#include "svc_run.h"

#include <stdio.h>

void supervisor_wait_reason(const struct service *s, char *buf, size_t size)
{
	buf[0] = '\0';
	/* At a boot gate every bundle not run yet waits for it. */
	if (s->state == ST_DOWN && !s->broken && s->kind != KIND_ONSHUTDOWN && supervisor_gate()) {
		snprintf(buf, size, "waiting: %s", supervisor_gate());
		return;
	}
	if (s->state != ST_WAITING)
		return;
	for (unsigned k = 0; k < s->conf.n_after; k++) {
		const struct service *d = s->deps[k] >= 0 ? supervisor_at((size_t)s->deps[k]) : NULL;

		if (d && d->state != ST_READY) {
			snprintf(buf, size, "waiting: %s %s", d->name,
				d->state == ST_FAILED ? "failed" : svc_state_name(d->state));
			return;
		}
	}
}

/* keelctl signal: only to a live instance, through its pidfd. */
int supervisor_signal(struct service *s, int sig, char *why, size_t size)
{
	bool live = s->state >= ST_STARTING && s->state <= ST_STOPPING;

	if (!live || s->pid <= 0 || s->exited)
		return supervisor_msg(why, size, "%s is not running (%s)", s->name,
			       svc_state_name(s->state));
	svc_signal(s, sig);
	svc_log_note(s, "sent SIG%s by keelctl", signal_name(sig) ? signal_name(sig) : "?");
	return 0;
}

/* keelctl start/stop/restart; 0 or a one-line reason in why. */
int supervisor_ctl(struct service *s, enum ctl_op op, char *why, size_t size)
{
	if (supervisor_shutting_down())
		return supervisor_msg(why, size, "shutting down");
	if (s->kind != KIND_SERVICE)
		return supervisor_msg(why, size, "%s is a one-shot job, not a service", s->name);
	if (s->broken)
		return supervisor_msg(why, size, "%s cannot start: %s", s->name, s->error);
	switch (op) {
	case CTL_START:
		service_event(s, EV_UP);
		break;
	case CTL_STOP:
		service_event(s, EV_DOWN);
		break;
	case CTL_RESTART:
		if (svc_is_up(s)) {
			service_event(s, EV_DOWN); /* cancels older requests... */
			s->restart_now = true;	   /* ...this one is the last word */
		} else {
			service_event(s, EV_UP);
		}
		break;
	}
	return 0;
}
