/* The per-service state machine. Every transition is one cell of
 * actions[state][event]; an empty cell means the event is ignored in that
 * state. Actions act through the svc_ops table (svc_run.c, svc_log.c and
 * the supervisor's registry, wired by supervisor.c) and never block; every wait is a
 * deadline that comes back as EV_TIMEOUT. The supervisor never dies on a
 * per-service problem: it logs, counts the crash and retries later. */
#include "service.h"
#include "backoff.h"
#include "log.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>


static const char *const state_names[N_STATES] = {
    [ST_DOWN] = "down",		[ST_WAITING] = "waiting", [ST_CREATING] = "creating",
    [ST_STARTING] = "starting", [ST_RUNNING] = "running", [ST_READY] = "ready",
    [ST_STOPPING] = "stopping", [ST_CLEANUP] = "cleanup", [ST_BACKOFF] = "backoff",
    [ST_DONE] = "done",		[ST_FAILED] = "failed",
};

static const struct svc_ops *ops;
static const struct init_config *config;
static void (*log_listener)(struct service *s);

void service_setup(const struct svc_ops *o, const struct init_config *cfg)
{
	ops = o;
	config = cfg;
}

const struct init_config *svc_config(void)
{
	return config;
}

void service_set_log_listener(void (*listener)(struct service *s))
{
	log_listener = listener;
}

void svc_log_appended(struct service *s)
{
	if (log_listener)
		log_listener(s);
}

static void note(struct service *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct service *s, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ops->note(s, msg);
}

const char *svc_state_name(enum svc_state st)
{
	return state_names[st];
}

bool svc_is_up(const struct service *s)
{
	return s->state >= ST_CREATING && s->state <= ST_CLEANUP;
}

bool svc_is_settled(const struct service *s)
{
	return s->state == ST_READY || s->state == ST_DONE || s->state == ST_FAILED ||
	       s->state == ST_DOWN;
}

static void set_state(struct service *s, enum svc_state st, int64_t timeout_ms)
{
	int64_t now = now_ms();

	s->state = st;
	s->since = now;
	s->deadline = timeout_ms < 0 ? -1 : now + timeout_ms;
	log_debug("%s: %s", s->name, state_names[st]);
	ops->changed(s);
}

static bool exited_ok(const struct service *s)
{
	return s->exited && WIFEXITED(s->last_status) && WEXITSTATUS(s->last_status) == 0;
}

static void begin_create(struct service *s);
static void act_up(struct service *s);
static void begin_start(struct service *s);

static void fail(struct service *s, const char *why)
{
	snprintf(s->error, sizeof(s->error), "%s", why);
	s->want_up = false;
	note(s, "failed: %s", why);
	log_err("%s: failed: %s", s->name, why);
	set_state(s, ST_FAILED, -1);
}

/* Policy after an instance is gone and deleted: stop, restart, back off or fail. */
static void restart_or_settle(struct service *s)
{
	uint64_t ran = s->started_at ? (uint64_t)(now_ms() - s->started_at) : 0;
	int64_t delay;
	char why[96];

	if (s->conf.restart == RESTART_NEVER ||
	    (s->conf.restart == RESTART_ON_FAILURE && exited_ok(s))) {
		s->want_up = false;
		set_state(s, ST_DOWN, -1);
		return;
	}
	delay = backoff_on_exit(&s->conf, &s->crashes, ran);
	s->error[0] = '\0';
	if (backoff_limit_reached(&s->conf, s->crashes)) {
		snprintf(why, sizeof(why), "crash loop: %u exits in a row", s->crashes);
		if (delay < 0) {
			fail(s, why);
			return;
		}
		/* s6's way: never give up, but only try at the slowest pace. */
		snprintf(s->error, sizeof(s->error), "%s; retrying every %lld ms", why,
			 (long long)delay);
	}
	s->restarts++;
	note(s, "restarting in %lld ms", (long long)delay);
	set_state(s, ST_BACKOFF, delay);
}

static void after_instance(struct service *s)
{
	if (s->pidfd >= 0)
		close(s->pidfd); /* an instance killed before its exit was seen */
	s->pidfd = -1;
	s->pid = 0;
	s->started_at = s->exited ? s->started_at : 0;
	if (s->kind != KIND_SERVICE) {
		if (s->job_timed_out)
			fail(s, "did not finish in time: stopped");
		else if (exited_ok(s))
			set_state(s, ST_DONE, -1);
		else
			fail(s, s->exited ? "exited unsuccessfully" : "could not be started");
		return;
	}
	if (s->restart_now && !ops->shutting_down()) {
		s->restart_now = false;
		act_up(s);
	} else if (!s->want_up || ops->shutting_down()) {
		s->want_up = false;
		set_state(s, ST_DOWN, -1);
	} else {
		restart_or_settle(s);
	}
}

static void begin_cleanup(struct service *s)
{
	ops->notify_close(s);
	/* Whatever the instance forked (setsid, double fork) goes with it. */
	if (!s->exited || s->cgroup[0])
		ops->kill_instance(s);
	if (ops->delete(s) < 0) {
		after_instance(s);
		return;
	}
	set_state(s, ST_CLEANUP, HELPER_TIMEOUT_MS);
}

static void begin_create(struct service *s)
{
	s->exited = false;
	s->ready_seen = false;
	s->pid = 0;
	s->early_pid = 0;
	s->started_at = 0;
	s->cgroup[0] = '\0';
	if (ops->create(s) < 0) {
		after_instance(s);
		return;
	}
	set_state(s, ST_CREATING, HELPER_TIMEOUT_MS);
}

static void begin_stop(struct service *s)
{
	if (s->conf.stop_timeout_ms == 0) {
		ops->kill_instance(s);
		set_state(s, ST_STOPPING, KILL_RETRY_MS);
		return;
	}
	ops->signal(s, s->conf.stop_signal);
	set_state(s, ST_STOPPING, s->conf.stop_timeout_ms);
}

/* Every start goes through here, whatever asked for it (boot, keelctl, the
 * end of a backoff, a restart request): no start during shutdown, and a
 * service whose dependencies are not ready waits for them. */
static void begin_start(struct service *s)
{
	if (ops->shutting_down() && s->kind == KIND_SERVICE) {
		s->want_up = false;
		set_state(s, ST_DOWN, -1);
	} else if (s->kind == KIND_SERVICE && !ops->deps_ready(s)) {
		set_state(s, ST_WAITING, -1);
	} else {
		begin_create(s);
	}
}

static void act_up(struct service *s)
{
	if (s->state == ST_FAILED) {
		s->crashes = 0;
		s->error[0] = '\0';
	}
	s->want_up = true;
	s->job_timed_out = false;
	begin_start(s);
}

/* Wanted up while an instance is busy: if it was being stopped, start it
 * again as soon as it is gone (a request, not a crash: no backoff). */
static void act_want_up(struct service *s)
{
	if (!s->want_up)
		s->restart_now = true;
	s->want_up = true;
}

/* Every "down" cancels a pending restart request: the last operator
 * command wins (restart, then stop while stopping: stays down). */
static void act_down_idle(struct service *s)
{
	s->want_up = false;
	s->restart_now = false;
	set_state(s, ST_DOWN, -1);
}

/* A helper is running: its completion looks at want_up. */
static void act_down_later(struct service *s)
{
	s->want_up = false;
	s->restart_now = false;
}

static void act_down_now(struct service *s)
{
	s->want_up = false;
	s->restart_now = false;
	begin_stop(s);
}

static void act_created(struct service *s)
{
	if (ops->read_pid(s) < 0 || ops->start(s) < 0) {
		begin_cleanup(s);
		return;
	}
	set_state(s, ST_STARTING, HELPER_TIMEOUT_MS);
}

static void act_ready(struct service *s)
{
	note(s, "ready");
	set_state(s, ST_READY, -1);
}

static void act_started(struct service *s)
{
	s->started_at = now_ms();
	if (s->exited) {
		begin_cleanup(s);
		return;
	}
	if (!s->want_up) {
		begin_stop(s);
		return;
	}
	s->restart_now = false; /* this instance is the one that was asked for */
	if (s->ready_seen)
		act_ready(s); /* notified before start returned: still noted */
	else if (s->conf.notify_fd < 0)
		set_state(s, ST_READY, -1);
	else
		set_state(s, ST_RUNNING,
			  s->conf.start_timeout_ms ? (int64_t)s->conf.start_timeout_ms : -1);
}

/* runc-shim start failed: the container init may sit created; kill it. */
static void act_start_failed(struct service *s)
{
	if (s->exited) {
		begin_cleanup(s);
		return;
	}
	ops->kill_instance(s);
	set_state(s, ST_STOPPING, KILL_RETRY_MS);
}

/* The service was quicker than runc-shim start's own exit. */
static void act_early_ready(struct service *s)
{
	s->ready_seen = true;
}

static void act_not_ready(struct service *s)
{
	note(s, "not ready after %u ms: stopping", s->conf.start_timeout_ms);
	log_warn("%s: not ready after %u ms", s->name, s->conf.start_timeout_ms);
	begin_stop(s); /* want_up stays: the stop counts as a crash */
}

static void act_stop_timeout(struct service *s)
{
	note(s, "still running after stop: killing its cgroup");
	ops->kill_instance(s);
	s->deadline = now_ms() + KILL_RETRY_MS;
}

static void act_helper_timeout(struct service *s)
{
	log_warn("%s: runc-shim call hung; killing pid %d", s->name, (int)s->helper_pid);
	if (s->helper_pid > 0)
		(void)kill(s->helper_pid, SIGKILL); /* its exit comes back as HELPER_FAIL */
	s->deadline = now_ms() + HELPER_TIMEOUT_MS;
}

static void act_nothing(struct service *s)
{
	(void)s; /* the exit was recorded in s->exited; the helper result decides */
}

typedef void (*svc_action)(struct service *s);

/* clang-format off */
static const svc_action actions[N_STATES][N_EVENTS] = {
	/*                UP            DOWN            DEPS_READY    HELPER_OK       HELPER_FAIL       READY            EXIT           TIMEOUT */
	[ST_DOWN]     = { act_up,       NULL,           NULL,         NULL,           NULL,             NULL,            NULL,          NULL },
	[ST_WAITING]  = { NULL,         act_down_idle,  begin_start,  NULL,           NULL,             NULL,            NULL,          NULL },
	[ST_CREATING] = { act_want_up,  act_down_later, NULL,         act_created,    begin_cleanup,    NULL,            act_nothing,   act_helper_timeout },
	[ST_STARTING] = { act_want_up,  act_down_later, NULL,         act_started,    act_start_failed, act_early_ready, act_nothing,   act_helper_timeout },
	[ST_RUNNING]  = { act_want_up,  act_down_now,   NULL,         NULL,           NULL,             act_ready,       begin_cleanup, act_not_ready },
	[ST_READY]    = { act_want_up,  act_down_now,   NULL,         NULL,           NULL,             NULL,            begin_cleanup, NULL },
	[ST_STOPPING] = { act_want_up,  act_down_later, NULL,         NULL,           NULL,             NULL,            begin_cleanup, act_stop_timeout },
	[ST_CLEANUP]  = { act_want_up,  act_down_later, NULL,         after_instance, after_instance,   NULL,            act_nothing,   act_helper_timeout },
	[ST_BACKOFF]  = { act_up,       act_down_idle,  NULL,         NULL,           NULL,             NULL,            NULL,          begin_start },
	[ST_DONE]     = { act_up,       NULL,           NULL,         NULL,           NULL,             NULL,            NULL,          NULL },
	[ST_FAILED]   = { act_up,       NULL,           NULL,         NULL,           NULL,             NULL,            NULL,          NULL },
};
/* clang-format on */

void service_event(struct service *s, enum svc_event ev)
{
	svc_action a = actions[s->state][ev];

	if (a)
		a(s);
}
