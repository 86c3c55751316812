/* The per-service state machine (init/service.c) against stubs of the
 * outside world: which runc-shim calls and signals each transition makes,
 * backoff and crash-loop failure, stop with timeout, restart requests,
 * readiness before runc-shim start returned, one-shot jobs, shutdown. */
#include "../../init/service.h"
#include "tap.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static int64_t clock_ms = 1000;
static bool deps_ready = true, shutting_down;
static int creates, starts, deletes, kills, last_signal;

int64_t now_ms(void)
{
	return clock_ms;
}
static bool stub_deps_ready(const struct service *s)
{
	(void)s;
	return deps_ready;
}
static void stub_changed(struct service *s)
{
	(void)s;
}
static bool stub_shutting_down(void)
{
	return shutting_down;
}

static int stub_create(struct service *s)
{
	s->helper = HELPER_CREATE;
	creates++;
	return 0;
}
static int stub_start(struct service *s)
{
	s->helper = HELPER_START;
	starts++;
	return 0;
}
static int stub_delete(struct service *s)
{
	s->helper = HELPER_DELETE;
	deletes++;
	return 0;
}
static int stub_read_pid(struct service *s)
{
	s->pid = 4242;
	strcpy(s->cgroup, "/keel/t");
	return 0;
}
static void stub_signal(struct service *s, int sig)
{
	(void)s;
	last_signal = sig;
}
static void stub_kill_instance(struct service *s)
{
	(void)s;
	kills++;
}
static void stub_notify_close(struct service *s)
{
	(void)s;
}
static void stub_note(struct service *s, const char *msg)
{
	(void)s;
	(void)msg;
}

static const struct svc_ops stub_ops = {
    .deps_ready = stub_deps_ready,
    .changed = stub_changed,
    .shutting_down = stub_shutting_down,
    .create = stub_create,
    .start = stub_start,
    .delete = stub_delete,
    .read_pid = stub_read_pid,
    .signal = stub_signal,
    .kill_instance = stub_kill_instance,
    .notify_close = stub_notify_close,
    .note = stub_note,
};

static void fresh(struct service *s, enum svc_kind kind)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->name, "t");
	s->kind = kind;
	service_conf_defaults(&s->conf);
	s->pidfd = s->notify_rd = -1;
	s->last_status = -1;
	creates = starts = deletes = kills = last_signal = 0;
	deps_ready = true;
	shutting_down = false;
}

/* UP, create ok, start ok: the instance runs. */
static void bring_up(struct service *s)
{
	service_event(s, EV_UP);
	service_event(s, EV_HELPER_OK);
	service_event(s, EV_HELPER_OK);
}

static void exit_with(struct service *s, int code)
{
	s->exited = true;
	s->last_status = code << 8; /* a wait status for exit(code) */
	service_event(s, EV_EXIT);
}

/* The instance exits 1 and is deleted; if it backs off, the delay goes to
 * *delay and the next instance is brought up. False when it did not back off. */
static bool crash_and_restart(struct service *s, int64_t *delay)
{
	exit_with(s, 1);
	service_event(s, EV_HELPER_OK); /* delete done */
	if (delay)
		*delay = s->deadline - clock_ms;
	if (s->state != ST_BACKOFF)
		return false;
	service_event(s, EV_TIMEOUT);
	service_event(s, EV_HELPER_OK);
	service_event(s, EV_HELPER_OK);
	return true;
}

static void check_start(void)
{
	struct service s;

	fresh(&s, KIND_SERVICE);
	service_event(&s, EV_UP);
	CHECK(s.state == ST_CREATING && creates == 1, "UP: runc-shim create");
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_STARTING && starts == 1 && s.pid == 4242,
	      "create ok: pid read, runc-shim start");
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_READY && s.started_at == clock_ms,
	      "start ok, ready = none: ready at once");

	fresh(&s, KIND_SERVICE);
	s.conf.notify_fd = 3;
	bring_up(&s);
	CHECK(s.state == ST_RUNNING, "ready = notify-fd: running until notified");
	service_event(&s, EV_READY);
	CHECK(s.state == ST_READY, "notification: ready");

	fresh(&s, KIND_SERVICE);
	s.conf.notify_fd = 3;
	service_event(&s, EV_UP);
	service_event(&s, EV_HELPER_OK);
	service_event(&s, EV_READY);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_READY, "a notification before runc-shim start returned is kept");

	fresh(&s, KIND_SERVICE);
	deps_ready = false;
	service_event(&s, EV_UP);
	CHECK(s.state == ST_WAITING && creates == 0,
	      "dependencies not ready: waiting, nothing run");
	deps_ready = true;
	service_event(&s, EV_DEPS_READY);
	CHECK(s.state == ST_CREATING, "dependencies ready: create");
}

static void check_crash_loop(void)
{
	struct service s;
	int64_t delays[3];

	fresh(&s, KIND_SERVICE);
	s.conf.restart_limit = 4;
	s.conf.restart_limit_final = true;
	bring_up(&s);
	for (int i = 0; i < 3 && crash_and_restart(&s, &delays[i]); i++)
		;
	CHECK(delays[0] == 100 && delays[1] == 200 && delays[2] == 400,
	      "crash: cleanup, then backoff 100, 200, 400 ms");
	CHECK(deletes == 3 && kills == 3 && s.restarts == 3,
	      "each exit: cgroup killed, runc-shim delete");
	exit_with(&s, 1);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_FAILED && strstr(s.error, "crash loop: 4"),
	      "4th crash in a row: failed (%s)", s.error);
	service_event(&s, EV_UP);
	CHECK(s.state == ST_CREATING && s.crashes == 0 && !s.error[0],
	      "start of a failed service: fresh count");
}

/* Past a limit that is not final: retried at restart-delay-max forever. */
static void check_crash_loop_not_final(void)
{
	struct service s;

	fresh(&s, KIND_SERVICE);
	s.conf.restart_limit = 2;
	s.conf.restart_delay_max_ms = 700;
	bring_up(&s);
	for (int i = 0; i < 5 && crash_and_restart(&s, NULL); i++)
		;
	exit_with(&s, 1);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_BACKOFF && s.deadline == clock_ms + 700 && s.crashes == 6,
	      "limit 2, not final: 6th crash still backs off, at restart-delay-max");
	CHECK(strstr(s.error, "crash loop: 6 exits in a row; retrying every 700 ms") != NULL,
	      "... and status says so (%s)", s.error);
}

/* A start at the end of a backoff is checked like any other start. */
static void check_backoff_restart_checks(void)
{
	struct service s;

	fresh(&s, KIND_SERVICE);
	bring_up(&s);
	exit_with(&s, 1);
	service_event(&s, EV_HELPER_OK);
	deps_ready = false;
	service_event(&s, EV_TIMEOUT);
	CHECK(s.state == ST_WAITING && creates == 1,
	      "backoff over, dependencies not ready: waiting, not created");
	deps_ready = true;
	service_event(&s, EV_DEPS_READY);
	CHECK(s.state == ST_CREATING && creates == 2, "... started once they are ready");

	fresh(&s, KIND_SERVICE);
	bring_up(&s);
	exit_with(&s, 1);
	service_event(&s, EV_HELPER_OK);
	shutting_down = true;
	service_event(&s, EV_TIMEOUT);
	CHECK(s.state == ST_DOWN && creates == 1, "backoff over during shutdown: down, no start");

	fresh(&s, KIND_SERVICE);
	deps_ready = false;
	service_event(&s, EV_UP);
	shutting_down = true;
	deps_ready = true;
	service_event(&s, EV_DEPS_READY);
	CHECK(s.state == ST_DOWN && creates == 0, "dependencies ready during shutdown: no start");
}

/* The last operator command wins while an instance is being stopped. */
static void check_last_command_wins(void)
{
	struct service s;

	fresh(&s, KIND_SERVICE);
	bring_up(&s);
	service_event(&s, EV_DOWN); /* keelctl restart, as supervisor_ctl does it */
	s.restart_now = true;
	service_event(&s, EV_DOWN); /* keelctl stop */
	exit_with(&s, 0);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_DOWN && creates == 1, "restart, then stop while stopping: down");

	fresh(&s, KIND_SERVICE);
	bring_up(&s);
	service_event(&s, EV_DOWN);
	service_event(&s, EV_UP);
	service_event(&s, EV_DOWN);
	exit_with(&s, 0);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_DOWN && creates == 1, "stop; start; stop while stopping: down");

	fresh(&s, KIND_SERVICE);
	bring_up(&s);
	service_event(&s, EV_DOWN);
	service_event(&s, EV_UP);
	exit_with(&s, 0);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_CREATING && creates == 2, "stop; start while stopping: started again");
}

static void check_policies(void)
{
	struct service s;

	fresh(&s, KIND_SERVICE);
	s.conf.restart = RESTART_ON_FAILURE;
	bring_up(&s);
	exit_with(&s, 0);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_DOWN, "on-failure + exit 0: down");

	fresh(&s, KIND_SERVICE);
	s.conf.restart = RESTART_NEVER;
	bring_up(&s);
	exit_with(&s, 3);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_DOWN, "never + exit 3: down");

	fresh(&s, KIND_ONBOOT);
	bring_up(&s);
	exit_with(&s, 0);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_DONE, "one-shot exit 0: done");
	fresh(&s, KIND_ONBOOT);
	bring_up(&s);
	exit_with(&s, 2);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_FAILED && creates == 1, "one-shot exit 2: failed, not restarted");
	fresh(&s, KIND_ONBOOT);
	service_event(&s, EV_UP);
	service_event(&s, EV_HELPER_FAIL);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_FAILED && deletes == 1,
	      "one-shot whose create failed: cleaned up, failed");
	fresh(&s, KIND_ONBOOT);
	bring_up(&s);
	s.job_timed_out = true; /* the supervisor's job deadline passed */
	service_event(&s, EV_DOWN);
	exit_with(&s, 0);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_FAILED && strstr(s.error, "in time"),
	      "one-shot stopped at its time limit: failed even if it exits 0 on TERM");
}

static void check_stop(void)
{
	struct service s;

	fresh(&s, KIND_SERVICE);
	s.conf.stop_signal = SIGINT;
	s.conf.stop_timeout_ms = 2000;
	bring_up(&s);
	service_event(&s, EV_DOWN);
	CHECK(s.state == ST_STOPPING && last_signal == SIGINT && s.deadline == clock_ms + 2000,
	      "stop: stop-signal, stop-timeout deadline");
	service_event(&s, EV_TIMEOUT);
	CHECK(kills == 1 && s.state == ST_STOPPING, "stop-timeout: cgroup.kill");
	exit_with(&s, 137);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_DOWN && s.restarts == 0, "stopped: down, not restarted");

	fresh(&s, KIND_SERVICE);
	bring_up(&s);
	service_event(&s, EV_DOWN); /* keelctl restart, as supervisor_ctl does it */
	s.restart_now = true;
	exit_with(&s, 0);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_CREATING && s.restarts == 0 && s.crashes == 0,
	      "restart request: started again at once, no crash counted");

	fresh(&s, KIND_SERVICE);
	service_event(&s, EV_UP);
	service_event(&s, EV_DOWN);
	service_event(&s, EV_HELPER_OK);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_STOPPING, "stop while creating: stopped as soon as it started");

	fresh(&s, KIND_SERVICE);
	bring_up(&s);
	shutting_down = true;
	exit_with(&s, 1);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_DOWN, "no restart during shutdown");
}

static void check_timeouts(void)
{
	struct service s;

	fresh(&s, KIND_SERVICE);
	s.conf.notify_fd = 3;
	s.conf.start_timeout_ms = 500;
	bring_up(&s);
	CHECK(s.deadline == clock_ms + 500, "start-timeout deadline while not ready");
	service_event(&s, EV_TIMEOUT);
	CHECK(s.state == ST_STOPPING && s.want_up, "not ready in time: stopped, still wanted");
	exit_with(&s, 143);
	service_event(&s, EV_HELPER_OK);
	CHECK(s.state == ST_BACKOFF && s.crashes == 1, "... and that counts as a crash");
	fresh(&s, KIND_SERVICE);
	s.helper_pid = 0;
	service_event(&s, EV_UP);
	CHECK(s.deadline == clock_ms + 30000, "a runc-shim call has a 30 s deadline");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* whole TAP lines between keel's stderr lines */
	service_setup(&stub_ops, NULL);
	check_start();
	check_crash_loop();
	check_crash_loop_not_final();
	check_backoff_restart_checks();
	check_last_command_wins();
	check_policies();
	check_stop();
	check_timeouts();
	return TAP_DONE();
}
