/* keelctl's verbs on the server side, one table row each. Arguments come
 * from the request line and are checked strictly here: the client is
 * trusted for nothing but its uid. */
#include "boottime.h"
#include "control.h"
#include "inspect.h"
#include "loop.h"
#include "parse.h"
#include "power.h"
#include "service.h"
#include "svc_logtime.h"
#include "supervisor_ctl.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

struct ctl_args {
	bool json, follow, all, times;
	unsigned lines;
	const char *name;
	const char *arg; /* a second word (signal: the signal) */
};

static const char *const kind_names[] = {
    [KIND_ONBOOT] = "onboot", [KIND_SERVICE] = "service", [KIND_ONSHUTDOWN] = "onshutdown"};

static void last_exit(const struct service *s, char *buf, size_t size)
{
	const char *sig;

	if (s->last_status < 0)
		snprintf(buf, size, "-");
	else if (WIFEXITED(s->last_status))
		snprintf(buf, size, "exit %d", WEXITSTATUS(s->last_status));
	else if ((sig = signal_name(WTERMSIG(s->last_status))))
		snprintf(buf, size, "signal %s", sig);
	else
		snprintf(buf, size, "signal %d", WTERMSIG(s->last_status));
}

static int64_t uptime_ms(const struct service *s)
{
	bool running = s->state == ST_RUNNING || s->state == ST_READY || s->state == ST_STOPPING;

	return running && s->started_at ? now_ms() - s->started_at : 0;
}

static const char *readiness(const struct service *s)
{
	if (s->state == ST_READY)
		return "ready";
	return s->conf.notify_fd < 0 ? "none" : "notify-wait";
}

/* The error column: why it failed, or why it still waits. */
static const char *why_not(const struct service *s, char *buf, size_t size)
{
	supervisor_wait_reason(s, buf, size);
	return s->error[0] || !buf[0] ? s->error : buf;
}

static void status_json(struct ctl_reply *r, const struct service *s)
{
	char ex[32], wait[160];

	last_exit(s, ex, sizeof(ex));
	reply_printf(
	    r,
	    "{\"name\":\"%s\",\"kind\":\"%s\",\"state\":\"%s\",\"pid\":%d,"
	    "\"uptime_ms\":%lld,\"restarts\":%u,\"ready\":%s,\"last_exit\":\"%s\","
	    "\"host_caps\":%s,\"error\":",
	    s->name, kind_names[s->kind], svc_state_name(s->state), s->exited ? 0 : (int)s->pid,
	    (long long)uptime_ms(s), s->restarts, s->state == ST_READY ? "true" : "false", ex,
	    inspect_host_caps(s) ? "true" : "false");
	reply_json_string(r, why_not(s, wait, sizeof(wait)));
	reply_printf(r, "}");
}

static void status_line(struct ctl_reply *r, const struct service *s)
{
	char ex[32], wait[160];

	last_exit(s, ex, sizeof(ex));
	reply_printf(r, "%-20s %-10s %-9s %7d %9llds %8u %-11s %-10s %-9s %s\n", s->name,
		     kind_names[s->kind], svc_state_name(s->state), s->exited ? 0 : (int)s->pid,
		     (long long)(uptime_ms(s) / 1000), s->restarts, readiness(s), ex,
		     inspect_host_caps(s) ? "yes" : "-", why_not(s, wait, sizeof(wait)));
}

static void cmd_status(const struct ctl_args *a, struct ctl_reply *r)
{
	const struct service *one = a->name ? supervisor_find(a->name) : NULL;
	bool first = true;

	if (a->name && !one) {
		reply_error(r, "no such service: %s", a->name);
		return;
	}
	reply_printf(r,
		     a->json ? "OK\n[" : "OK\n%-20s %-10s %-9s %7s %10s %8s %-11s %-10s %-9s %s\n",
		     "NAME", "KIND", "STATE", "PID", "UPTIME", "RESTARTS", "READINESS", "LAST-EXIT",
		     "HOST-CAPS", "ERROR");
	for (size_t i = 0; i < supervisor_count(); i++) {
		const struct service *s = supervisor_at(i);

		if ((one && s != one) || s->gone)
			continue;
		if (a->json) {
			reply_printf(r, first ? "" : ",");
			status_json(r, s);
		} else {
			status_line(r, s);
		}
		first = false;
	}
	if (a->json)
		reply_printf(r, "]\n");
}

static void cmd_op(const struct ctl_args *a, struct ctl_reply *r, enum ctl_op op)
{
	struct service *s = supervisor_find(a->name);
	char why[300];

	if (!s)
		reply_error(r, "no such service: %s", a->name);
	else if (supervisor_ctl(s, op, why, sizeof(why)) < 0)
		reply_error(r, "%s", why);
	else
		reply_printf(r, "OK\n");
}

static void cmd_start(const struct ctl_args *a, struct ctl_reply *r)
{
	cmd_op(a, r, CTL_START);
}

static void cmd_stop(const struct ctl_args *a, struct ctl_reply *r)
{
	cmd_op(a, r, CTL_STOP);
}

static void cmd_restart(const struct ctl_args *a, struct ctl_reply *r)
{
	cmd_op(a, r, CTL_RESTART);
}

static void cmd_signal(const struct ctl_args *a, struct ctl_reply *r)
{
	struct service *s = supervisor_find(a->name);
	int sig = a->arg ? signal_from_name(a->arg) : -1;
	char why[300];

	if (!s)
		reply_error(r, "no such service: %s", a->name);
	else if (sig <= 0)
		reply_error(r, "signal: '%.32s' is not a signal (e.g. HUP, SIGUSR1, 10)",
			    a->arg ? a->arg : "");
	else if (supervisor_signal(s, sig, why, sizeof(why)) < 0)
		reply_error(r, "%s", why);
	else
		reply_printf(r, "OK\n");
}

static void rescan_line(void *ctx, const char *what, const struct service *s)
{
	reply_printf(ctx, "%-8s %-10s %s\n", what, kind_names[s->kind], s->name);
}

static void cmd_rescan(const struct ctl_args *a, struct ctl_reply *r)
{
	char why[300];

	(void)a;
	reply_printf(r, "OK\n");
	if (supervisor_rescan(rescan_line, r, why, sizeof(why)) < 0)
		reply_error(r, "%s", why);
}

/* "2026-12-02T00:04:27.123Z " or "-" for a line older than the kept times. */
static void time_prefix(struct ctl_reply *r, int64_t ms)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	char buf[32];

	if (ms < 0 || !gmtime_r(&secs, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm))
		reply_printf(r, "%-24s ", "-");
	else
		reply_printf(r, "%s.%03dZ ", buf, (int)(ms % 1000));
}

/* logs -t: the lines from pos, each after the time it arrived (not streamed:
 * the reply cap bounds it). */
static void logs_with_times(const struct service *s, uint64_t pos, struct ctl_reply *r)
{
	char chunk[4096];
	bool line_start = true;
	uint64_t dropped;
	size_t n;

	while ((n = logbuf_read(&s->log, &pos, chunk, sizeof(chunk), &dropped)) > 0) {
		uint64_t at = pos - n;

		for (size_t i = 0; i < n;) {
			const char *nl = memchr(chunk + i, '\n', n - i);
			size_t len = nl ? (size_t)(nl - (chunk + i)) + 1 : n - i;

			if (line_start)
				time_prefix(r, svc_log_time_at(s, at + i));
			reply_printf(r, "%.*s", (int)len, chunk + i);
			line_start = nl != NULL;
			i += len;
		}
	}
}

static void cmd_logs(const struct ctl_args *a, struct ctl_reply *r)
{
	struct service *s = a->name ? supervisor_find(a->name) : NULL;
	uint64_t from;

	if (a->all && !a->name && a->follow) { /* the log writer's stream (ctl_follow.c) */
		reply_printf(r, "OK\n");
		r->follow_all = r->follow_forever = true;
		return;
	}
	if (a->all || !a->name) {
		reply_error(r, a->all ? "logs --all: needs -f and no NAME"
				      : "logs: a service name is required");
		return;
	}
	if (!s || !s->log.data) {
		reply_error(r, s ? "%s has no log" : "no such service: %s", a->name);
		return;
	}
	if (a->times && a->follow) {
		reply_error(r, "logs: -t and -f cannot be combined");
		return;
	}
	reply_printf(r, "OK\n");
	from = a->lines ? logbuf_tail_lines(&s->log, a->lines) : logbuf_oldest(&s->log);
	if (a->times) {
		logs_with_times(s, from, r);
		return;
	}
	/* Streamed from the ring by control.c, so a 4 MiB buffer needs no copy. */
	r->follow = s;
	r->follow_pos = from;
	r->follow_forever = a->follow;
}

static void (*power_hook)(enum power_action action);

void ctl_set_power_hook(void (*request)(enum power_action action))
{
	power_hook = request;
}

static void power(struct ctl_reply *r, enum power_action act)
{
	if (!power_hook) {
		reply_error(r, "power actions are not available");
		return;
	}
	reply_printf(r, "OK\n");
	power_hook(act);
}

static void cmd_poweroff(const struct ctl_args *a, struct ctl_reply *r)
{
	power(r, POWER_POWEROFF);
}

static void cmd_reboot(const struct ctl_args *a, struct ctl_reply *r)
{
	power(r, POWER_REBOOT);
}

static void cmd_halt(const struct ctl_args *a, struct ctl_reply *r)
{
	power(r, POWER_HALT);
}

static void cmd_inspect(const struct ctl_args *a, struct ctl_reply *r)
{
	inspect_reply(a->name, a->json, r); /* inspect.c */
}

static void cmd_exec(const struct ctl_args *a, struct ctl_reply *r)
{
	inspect_exec_reply(a->name, r); /* keelctl runs the command itself */
}

static void cmd_boot(const struct ctl_args *a, struct ctl_reply *r)
{
	(void)a;
	boottime_reply(r);
}

enum name_arg { NAME_NONE, NAME_OPTIONAL, NAME_REQUIRED };

static const struct ctl_cmd {
	const char *verb;
	enum name_arg name;
	const char *options; /* j = --json, f = -f, n = -n N, t = -t, a = --all, w = a 2nd word */
	void (*run)(const struct ctl_args *a, struct ctl_reply *r);
} cmds[] = {
    {"status", NAME_OPTIONAL, "j", cmd_status}, {"start", NAME_REQUIRED, "", cmd_start},
    {"stop", NAME_REQUIRED, "", cmd_stop},	{"restart", NAME_REQUIRED, "", cmd_restart},
    {"logs", NAME_OPTIONAL, "fnta", cmd_logs},	{"signal", NAME_REQUIRED, "w", cmd_signal},
    {"poweroff", NAME_NONE, "", cmd_poweroff},	{"reboot", NAME_NONE, "", cmd_reboot},
    {"halt", NAME_NONE, "", cmd_halt},		{"rescan", NAME_NONE, "", cmd_rescan},
    {"inspect", NAME_REQUIRED, "j", cmd_inspect},
    {"exec", NAME_REQUIRED, "", cmd_exec},	{"boot", NAME_NONE, "", cmd_boot},
};

/* Fills a from argv[1..]; a one-line error in r when something is wrong. */
static bool parse_args(const struct ctl_cmd *c, int argc, char **argv, struct ctl_args *a,
		       struct ctl_reply *r)
{
	uint64_t n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && strchr(c->options, 'j')) {
			a->json = true;
		} else if (!strcmp(argv[i], "-f") && strchr(c->options, 'f')) {
			a->follow = true;
		} else if (!strcmp(argv[i], "--all") && strchr(c->options, 'a')) {
			a->all = true;
		} else if (!strcmp(argv[i], "-t") && strchr(c->options, 't')) {
			a->times = true;
		} else if (!strcmp(argv[i], "-n") && strchr(c->options, 'n') && i + 1 < argc) {
			if (parse_u64(argv[++i], 100000, &n) < 0) {
				reply_error(r, "-n: '%.32s' is not a number in 0..100000", argv[i]);
				return false;
			}
			a->lines = (unsigned)n;
		} else if (argv[i][0] != '-' && !a->name && c->name != NAME_NONE) {
			a->name = argv[i];
		} else if (a->name && !a->arg && strchr(c->options, 'w')) {
			a->arg = argv[i];
		} else {
			reply_error(r, "%s: unexpected argument '%.64s'", c->verb, argv[i]);
			return false;
		}
	}
	if (c->name == NAME_REQUIRED && !a->name) {
		reply_error(r, "%s: a service name is required", c->verb);
		return false;
	}
	if (strchr(c->options, 'w') && !a->arg) {
		reply_error(r, "%s: NAME and one more argument are required", c->verb);
		return false;
	}
	return true;
}

static void ctl_dispatch(int argc, char **argv, struct ctl_reply *r)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct ctl_args a = {0};

		if (strcmp(argv[0], cmds[i].verb) != 0)
			continue;
		if (parse_args(&cmds[i], argc, argv, &a, r))
			cmds[i].run(&a, r);
		return;
	}
	reply_error(r, "unknown command '%.32s'", argv[0]);
}

void ctl_request(char *line, struct ctl_reply *r)
{
	char *argv[16], *save = NULL;
	int argc = 0;

	/* Words go back into error lines and onto the client's terminal. */
	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\r') || *p == 0x7f) {
			reply_error(r, "control character in request");
			return;
		}
	for (char *t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
		if (argc == 15) {
			reply_error(r, "too many arguments");
			return;
		}
		argv[argc++] = t;
	}
	argv[argc] = NULL;
	if (argc == 0)
		reply_error(r, "empty request");
	else
		ctl_dispatch(argc, argv, r);
}
