/* The supervisor: owns the array of bundles from the spec directory and
 * drives the phases (onboot in order → services by dependency → boot
 * complete; at shutdown: onshutdown in order → services stopped in reverse
 * dependency order). Per-service work is the state machine in service.c;
 * this file only decides *when* to send each service an event. */
#include "supervisor.h"
#include "config.h"
#include "log.h"
#include "order.h"
#include "parse.h"
#include "service.h"
#include "specdir.h"
#include "svc_run.h"
#include "supervisor_ctl.h"
#include "supervisor_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHUTDOWN_SLACK_MS 2000 /* reaping, the last runc-shim exits */
#define BOOT_STUCK_MS	  10000 /* then the debug shell starts even if boot is not complete */

/* PH_PREPARE and PH_MOUNT wait for the gates of supervisor_hooks. */
enum phase {
	PH_IDLE,
	PH_PREPARE,
	PH_ONBOOT,
	PH_MOUNT,
	PH_SERVICES,
	PH_SHUTDOWN_JOBS,
	PH_STOPPING,
	PH_DONE
};

static struct {
	const struct init_config *cfg;
	struct service *svc;
	size_t n;
	enum phase phase;
	size_t job;	      /* onboot/onshutdown job running or next */
	int64_t job_deadline; /* the running job is stopped then (its time limit) */
	int64_t shell_at;     /* boot not complete by then: hooks->boot_stuck */
	const struct supervisor_hooks *hooks;
	void (*on_settle)(void); /* supervisor_rescan.c, above this file */
	bool boot_complete;
	bool required_failed;
	bool gate_open; /* the hook of the current gate phase said go */
	bool dirty, settling;
} sup;

/* vsnprintf: messages are cut at the buffer; gcc's truncation analysis is noise here. */
int supervisor_msg(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -1;
}

const struct init_config *supervisor_config(void)
{
	return sup.cfg;
}

bool supervisor_shutting_down(void)
{
	return sup.phase >= PH_SHUTDOWN_JOBS;
}

size_t supervisor_count(void)
{
	return sup.n;
}

void supervisor_on_settle(void (*fn)(void))
{
	sup.on_settle = fn;
}

bool supervisor_in_services_phase(void)
{
	return sup.phase == PH_SERVICES;
}

const char *supervisor_gate(void)
{
	if (sup.phase == PH_PREPARE && !sup.gate_open)
		return "the data disk probe";
	if (sup.phase == PH_MOUNT && !sup.gate_open)
		return "the disk and image mounts";
	return NULL;
}

struct service *supervisor_slots(size_t **n)
{
	*n = &sup.n;
	return sup.svc;
}

struct service *supervisor_at(size_t i)
{
	return i < sup.n ? &sup.svc[i] : NULL;
}

struct service *supervisor_find(const char *name)
{
	for (size_t i = 0; i < sup.n; i++)
		if (!sup.svc[i].gone && !strcmp(sup.svc[i].name, name))
			return &sup.svc[i];
	return NULL;
}

bool supervisor_deps_ready(const struct service *s)
{
	for (unsigned k = 0; k < s->conf.n_after; k++)
		if (s->deps[k] < 0 || sup.svc[s->deps[k]].state != ST_READY)
			return false;
	return true;
}

/* A waiting service whose dependency cannot come up by itself. */
static bool waits_in_vain(const struct service *s)
{
	for (unsigned k = 0; k < s->conf.n_after; k++) {
		enum svc_state d = sup.svc[s->deps[k]].state;
		if (d == ST_FAILED || d == ST_DOWN || d == ST_WAITING)
			return true;
	}
	return false;
}

/* A job's time limit, -1 for none: stop-timeout for onshutdown (0: stopped
 * at once), start-timeout for onboot (default ONBOOT_TIMEOUT_MS; 0: none). */
static int64_t job_limit_ms(const struct service *s)
{
	if (s->kind == KIND_ONSHUTDOWN)
		return s->conf.stop_timeout_ms;
	return s->conf.start_timeout_ms ? (int64_t)s->conf.start_timeout_ms : -1;
}

/* Runs the next one-shot job of kind, in array (lexical) order; true when
 * all ran. Each job is stopped at its time limit (and then failed). */
static bool run_jobs(enum svc_kind kind)
{
	for (; sup.job < sup.n; sup.job++) {
		struct service *s = &sup.svc[sup.job];

		if (s->kind != kind || s->gone)
			continue;
		if (s->state == ST_DOWN) {
			sup.job_deadline = job_limit_ms(s) >= 0 ? now_ms() + job_limit_ms(s) : -1;
			service_event(s, EV_UP);
		}
		if (s->state != ST_DONE && s->state != ST_FAILED)
			return false;
		if (s->state == ST_FAILED && kind == KIND_ONBOOT && s->conf.required) {
			if (!sup.required_failed)
				log_err("%s: required onboot bundle failed: not starting services; "
					"powering off",
					s->name);
			sup.required_failed = true;
			sup.hooks->required_failed();
			return false;
		}
	}
	sup.job_deadline = -1;
	return true;
}

static void start_services(void)
{
	for (size_t i = 0; i < sup.n; i++)
		if (sup.svc[i].kind == KIND_SERVICE && !sup.svc[i].broken)
			service_event(&sup.svc[i], EV_UP);
}

/* The first needs = dependency of s that is not ready, or -1. */
static int needed_not_ready(const struct service *s)
{
	for (unsigned k = 0; k < s->conf.n_after; k++)
		if ((s->conf.needs_mask & (1u << k)) &&
		    (s->deps[k] < 0 || sup.svc[s->deps[k]].state != ST_READY))
			return s->deps[k];
	return -1;
}

/* needs = X (systemd's BindsTo): when X stops, restarts or fails, an instance
 * that needs it is stopped too and waits for X to be ready again. */
static void stop_if_unbound(struct service *s)
{
	int d;
	bool live = s->state >= ST_CREATING && s->state <= ST_READY;

	if (!live || !s->want_up || (d = needed_not_ready(s)) < 0)
		return;
	svc_log_note(s, "stopping: needs %s, which is %s", sup.svc[d].name,
		     svc_state_name(sup.svc[d].state));
	service_event(s, EV_DOWN);
	s->restart_now = true; /* back to waiting once this instance is gone */
}

static void settle_services(void)
{
	bool settled = true;

	for (size_t i = 0; i < sup.n; i++) {
		struct service *s = &sup.svc[i];

		if (s->kind != KIND_SERVICE || s->gone)
			continue;
		if (s->broken && s->state == ST_DOWN)
			s->state = ST_FAILED; /* stopped because a rescan broke its order */
		stop_if_unbound(s);
		if (s->state == ST_WAITING && supervisor_deps_ready(s))
			service_event(s, EV_DEPS_READY);
		if (!svc_is_settled(s) && !(s->state == ST_WAITING && waits_in_vain(s)))
			settled = false;
	}
	if (settled && !sup.boot_complete) {
		sup.boot_complete = true;
		sup.hooks->boot_complete();
	}
}

/* The log writer (LOG_WRITER_SERVICE) stops last: it persists what the
 * others print while they stop. */
static bool waits_for_others(const struct service *s)
{
	if (strcmp(s->name, LOG_WRITER_SERVICE) != 0)
		return false;
	for (size_t i = 0; i < sup.n; i++)
		if (&sup.svc[i] != s && sup.svc[i].kind == KIND_SERVICE && svc_is_up(&sup.svc[i]))
			return true;
	return false;
}

/* Shutdown: a service is stopped once nothing that comes after it is up. */
static bool stop_services(void)
{
	bool all_down = true;

	for (size_t i = 0; i < sup.n; i++) {
		struct service *s = &sup.svc[i];
		bool dependents_up = false;

		if (!svc_is_up(s) && s->state != ST_WAITING && s->state != ST_BACKOFF)
			continue;
		all_down = false;
		for (size_t j = 0; j < sup.n && !dependents_up; j++)
			for (unsigned k = 0; k < sup.svc[j].conf.n_after; k++)
				if (sup.svc[j].deps[k] == (int)i && svc_is_up(&sup.svc[j]))
					dependents_up = true;
		if (!dependents_up && s->want_up && !waits_for_others(s))
			service_event(s, EV_DOWN);
	}
	return all_down;
}

static void settle(void)
{
	switch (sup.phase) {
	case PH_PREPARE:
		if (!sup.gate_open)
			return;
		sup.phase = PH_ONBOOT;
		/* fall through */
	case PH_ONBOOT:
		if (!run_jobs(KIND_ONBOOT))
			return;
		sup.phase = PH_MOUNT;
		sup.gate_open = sup.hooks->onboot_done();
		/* fall through */
	case PH_MOUNT:
		if (!sup.gate_open)
			return;
		sup.phase = PH_SERVICES;
		start_services();
		settle_services();
		return;
	case PH_SERVICES:
		if (sup.on_settle)
			sup.on_settle();
		settle_services();
		return;
	case PH_SHUTDOWN_JOBS:
		if (!run_jobs(KIND_ONSHUTDOWN))
			return;
		sup.phase = PH_STOPPING;
		/* fall through */
	case PH_STOPPING:
		if (stop_services())
			sup.phase = PH_DONE;
		return;
	case PH_IDLE:
	case PH_DONE:
		return;
	}
}

void supervisor_changed(struct service *s)
{
	if (s)
		sup.hooks->unit_changed(s);
	sup.dirty = true;
	if (sup.settling)
		return; /* the outer call loops until nothing changes */
	sup.settling = true;
	while (sup.dirty) {
		sup.dirty = false;
		settle();
	}
	sup.settling = false;
}

/* A service whose after/needs is (no longer, or now) resolvable. At boot
 * nothing runs yet; after a rescan a running one is stopped. */
static void order_verdict(struct service *s, const struct order_node *nd)
{
	if (nd->status == ORDER_OK) {
		if (!s->order_broken)
			return;
		s->order_broken = s->broken = false; /* healed by a rescan */
		s->error[0] = '\0';
		s->rescan_start = true;
		if (s->state == ST_FAILED)
			s->state = ST_DOWN;
		return;
	}
	if (s->order_broken)
		return;
	s->order_broken = s->broken = true;
	supervisor_msg(s->error, sizeof(s->error), "%s", nd->why);
	log_err("%s: %s", s->name, s->error);
	if (svc_is_up(s) || s->state == ST_WAITING || s->state == ST_BACKOFF)
		service_event(s, EV_DOWN);
	else
		s->state = ST_FAILED;
}

/* The after/needs graph of every slot, resolved (order.c). */
static void order_graph(struct order_node *nodes)
{
	for (size_t i = 0; i < sup.n; i++) {
		const struct service *s = &sup.svc[i];

		/* A removed bundle has no name any more; onboot/onshutdown jobs
		 * are not valid after= targets. */
		nodes[i].name = s->gone ? "" : s->name;
		nodes[i].conf = &s->conf;
		nodes[i].status =
		    s->gone || s->bad_bundle || s->kind != KIND_SERVICE ? ORDER_BAD : ORDER_OK;
	}
	order_resolve(nodes, sup.n);
}

void supervisor_resolve_order(void)
{
	struct order_node *nodes = calloc(sup.n ? sup.n : 1, sizeof(*nodes));

	if (!nodes) {
		log_err("out of memory ordering services");
		return;
	}
	order_graph(nodes);
	for (size_t i = 0; i < sup.n; i++) {
		struct service *s = &sup.svc[i];

		memcpy(s->deps, nodes[i].dep, sizeof(s->deps));
		if (s->kind == KIND_SERVICE && !s->gone && !s->bad_bundle)
			order_verdict(s, &nodes[i]);
	}
	free(nodes);
}

int supervisor_log_open(struct service *s)
{
	int r = svc_log_open(s);

	if (r < 0) {
		supervisor_msg(s->error, sizeof(s->error), "unable to set up its log pipe: %s",
			strerror(-r));
		s->broken = s->bad_bundle = true;
		s->state = ST_FAILED;
	}
	return r;
}

static void log_note(struct service *s, const char *msg)
{
	svc_log_note(s, "%s", msg);
}

static const struct svc_ops service_ops = {
    .deps_ready = supervisor_deps_ready,
    .changed = supervisor_changed,
    .shutting_down = supervisor_shutting_down,
    .create = svc_run_create,
    .start = svc_run_start,
    .delete = svc_run_delete,
    .read_pid = svc_read_pid,
    .signal = svc_signal,
    .kill_instance = svc_kill_instance,
    .notify_close = svc_notify_close,
    .note = log_note,
};

void supervisor_start(const struct init_config *cfg, const struct supervisor_hooks *hooks)
{
	int r;

	sup.cfg = cfg;
	sup.hooks = hooks;
	service_setup(&service_ops, cfg);
	sup.job_deadline = -1;
	sup.shell_at = now_ms() + BOOT_STUCK_MS;
	if ((r = svc_run_prepare()) < 0)
		log_err("unable to create /run/keel: %s", strerror(-r));
	if ((r = specdir_scan(cfg->specdir, &sup.svc, &sup.n)) < 0)
		log_err("unable to scan %s: %s", cfg->specdir, strerror(-r));
	for (size_t i = 0; i < sup.n; i++)
		if (!sup.svc[i].broken)
			(void)supervisor_log_open(&sup.svc[i]); /* failed with its reason */
	supervisor_resolve_order();
	log_info("supervisor: %zu bundles in %s", sup.n, cfg->specdir);
	sup.phase = PH_PREPARE;
	sup.gate_open = hooks->onboot_begin();
	supervisor_changed(NULL);
}

void supervisor_release(void)
{
	sup.gate_open = true;
	supervisor_changed(NULL);
}

/* broken + error: the existing "cannot start, with a reason" state. A
 * rescan that changes the bundle re-reads it and lifts the hold. */
void supervisor_hold(const char *name, const char *why)
{
	struct service *s = supervisor_find(name);

	if (!s || s->kind != KIND_SERVICE) {
		log_warn("%s: no service %s to hold back", why, name);
		return;
	}
	log_err("%s: %s; not started", name, why);
	supervisor_msg(s->error, sizeof(s->error), "%s", why);
	s->broken = true;
	if (svc_is_up(s) || s->state == ST_WAITING || s->state == ST_BACKOFF)
		service_event(s, EV_DOWN);
	else
		s->state = ST_FAILED;
	supervisor_changed(s);
}

static void helper_exited(struct service *s, int wstatus)
{
	static const char *const verbs[] = {"?", "create", "start", "delete"};
	bool ok = WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;

	if (!ok) {
		log_warn("%s: runc-shim %s failed (%s %d)", s->name, verbs[s->helper],
			 WIFEXITED(wstatus) ? "status" : "signal",
			 WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus));
		svc_log_note(s, "runc-shim %s failed", verbs[s->helper]);
	}
	s->helper = HELPER_NONE;
	s->helper_pid = 0;
	service_event(s, ok ? EV_HELPER_OK : EV_HELPER_FAIL);
}

static void instance_exited(struct service *s, int wstatus)
{
	s->exited = true;
	s->last_status = wstatus;
	if (s->pidfd >= 0)
		close(s->pidfd);
	s->pidfd = -1;
	if (WIFEXITED(wstatus))
		svc_log_note(s, "exited with status %d", WEXITSTATUS(wstatus));
	else
		svc_log_note(s, "killed by signal %d", WTERMSIG(wstatus));
	service_event(s, EV_EXIT);
}

bool supervisor_child_exited(pid_t pid, int wstatus)
{
	for (size_t i = 0; i < sup.n; i++) {
		struct service *s = &sup.svc[i];

		if (s->helper_pid == pid) {
			helper_exited(s, wstatus);
			return true;
		}
		if (s->pid == pid && !s->exited) {
			instance_exited(s, wstatus);
			return true;
		}
	}
	/* Perhaps a container init whose pid file is not read yet. */
	for (size_t i = 0; i < sup.n; i++)
		if (svc_claim_early_exit(&sup.svc[i], pid, wstatus))
			return true;
	return false;
}

static int64_t earlier(int64_t a, int64_t b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

int64_t supervisor_deadline(void)
{
	int64_t d = earlier(sup.job_deadline, sup.shell_at);

	for (size_t i = 0; i < sup.n; i++)
		d = earlier(d, sup.svc[i].deadline);
	return d;
}

void supervisor_tick(int64_t now)
{
	if (sup.job_deadline >= 0 && sup.job_deadline <= now && sup.job < sup.n) {
		struct service *job = &sup.svc[sup.job];

		sup.job_deadline = -1;
		log_warn("%s: still running after %lld ms: stopping it; the %s goes on", job->name,
			 (long long)job_limit_ms(job), job->kind == KIND_ONBOOT ? "boot" : "shutdown");
		svc_log_note(job, "still running after %lld ms: stopping it",
			     (long long)job_limit_ms(job));
		job->job_timed_out = true;
		service_event(job, EV_DOWN);
	}
	if (sup.shell_at >= 0 && sup.shell_at <= now) {
		sup.shell_at = -1;
		if (!sup.boot_complete)
			sup.hooks->boot_stuck();
	}
	for (size_t i = 0; i < sup.n; i++) {
		struct service *s = &sup.svc[i];

		if (s->deadline >= 0 && s->deadline <= now) {
			s->deadline = -1; /* the action sets a new one if it needs one */
			service_event(s, EV_TIMEOUT);
		}
	}
}

/* Worst case of the supervisor's shutdown phase: every onshutdown job in
 * turn (its time limit, then its stop: stop-timeout, a kill retry and a
 * hung delete), plus the longest after/needs chain of services, each
 * stopping only after its dependents: stop-timeout + kill retry + delete. */
int64_t supervisor_shutdown_budget_ms(void)
{
	struct order_node *nodes = calloc(sup.n ? sup.n : 1, sizeof(*nodes));
	uint64_t *cost = calloc(sup.n ? sup.n : 1, sizeof(*cost));
	uint64_t jobs = 0, chain = 0;

	for (size_t i = 0; nodes && cost && i < sup.n; i++) {
		const struct service *s = &sup.svc[i];
		uint64_t stop = (uint64_t)s->conf.stop_timeout_ms + KILL_RETRY_MS + HELPER_TIMEOUT_MS;

		if (s->kind == KIND_ONSHUTDOWN && !s->broken && !s->gone)
			jobs += (uint64_t)job_limit_ms(s) + stop; /* >= 0 for onshutdown */
		cost[i] = stop;
	}
	if (nodes && cost) {
		order_graph(nodes);
		chain = order_stop_chain_ms(nodes, sup.n, cost);
	}
	free(nodes);
	free(cost);
	return (int64_t)(jobs + chain + SHUTDOWN_SLACK_MS);
}

void supervisor_shutdown_begin(void)
{
	if (supervisor_shutting_down())
		return;
	log_info("supervisor: shutdown: onshutdown jobs, then services in reverse order "
		 "(worst case %lld ms)",
		 (long long)supervisor_shutdown_budget_ms());
	sup.phase = PH_SHUTDOWN_JOBS;
	sup.job = 0;
	supervisor_changed(NULL);
}

bool supervisor_shutdown_done(void)
{
	return sup.phase == PH_DONE || sup.phase == PH_IDLE;
}
