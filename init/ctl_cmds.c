/* keelctl's verbs on the server side, one table row each. Arguments come
 * from the request line and are checked strictly here: the client is
 * trusted for nothing but its uid. */
#include "control.h"
#include "inspect.h"
#include "loop.h"
#include "parse.h"
#include "power.h"
#include "service.h"
#include "supervisor_ctl.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

struct ctl_args {
	bool json, follow;
	unsigned lines;
	const char *name;
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

static void status_json(struct ctl_reply *r, const struct service *s)
{
	char ex[32];

	last_exit(s, ex, sizeof(ex));
	reply_printf(r,
		     "{\"name\":\"%s\",\"kind\":\"%s\",\"state\":\"%s\",\"pid\":%d,"
		     "\"uptime_ms\":%lld,\"restarts\":%u,\"ready\":%s,\"last_exit\":\"%s\","
		     "\"host_caps\":%s,\"error\":",
		     s->name, kind_names[s->kind], svc_state_name(s->state),
		     s->exited ? 0 : (int)s->pid, (long long)uptime_ms(s), s->restarts,
		     s->state == ST_READY ? "true" : "false", ex,
		     inspect_host_caps(s) ? "true" : "false");
	reply_json_string(r, s->error);
	reply_printf(r, "}");
}

static void status_line(struct ctl_reply *r, const struct service *s)
{
	char ex[32];

	last_exit(s, ex, sizeof(ex));
	reply_printf(r, "%-20s %-10s %-9s %7d %9llds %8u %-11s %-10s %-9s %s\n", s->name,
		     kind_names[s->kind], svc_state_name(s->state), s->exited ? 0 : (int)s->pid,
		     (long long)(uptime_ms(s) / 1000), s->restarts, readiness(s), ex,
		     inspect_host_caps(s) ? "yes" : "-", s->error);
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

		if (one && s != one)
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

static void cmd_logs(const struct ctl_args *a, struct ctl_reply *r)
{
	struct service *s = supervisor_find(a->name);
	if (!s || !s->log.data) {
		reply_error(r, s ? "%s has no log" : "no such service: %s", a->name);
		return;
	}
	reply_printf(r, "OK\n");
	/* Streamed from the ring by control.c, so a 4 MiB buffer needs no copy. */
	r->follow = s;
	r->follow_pos = a->lines ? logbuf_tail_lines(&s->log, a->lines) : logbuf_oldest(&s->log);
	r->follow_forever = a->follow;
}

static void power(struct ctl_reply *r, enum power_action act)
{
	reply_printf(r, "OK\n");
	power_request(act);
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

enum name_arg { NAME_NONE, NAME_OPTIONAL, NAME_REQUIRED };

static const struct ctl_cmd {
	const char *verb;
	enum name_arg name;
	const char *options; /* allowed flags: j = --json, f = -f, n = -n N */
	void (*run)(const struct ctl_args *a, struct ctl_reply *r);
} cmds[] = {
    {"status", NAME_OPTIONAL, "j", cmd_status}, {"start", NAME_REQUIRED, "", cmd_start},
    {"stop", NAME_REQUIRED, "", cmd_stop},	{"restart", NAME_REQUIRED, "", cmd_restart},
    {"logs", NAME_REQUIRED, "fn", cmd_logs},	{"poweroff", NAME_NONE, "", cmd_poweroff},
    {"reboot", NAME_NONE, "", cmd_reboot},	{"halt", NAME_NONE, "", cmd_halt},
    {"inspect", NAME_REQUIRED, "j", cmd_inspect}, /* inspect.c; kept apart: fewer merge conflicts */
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
		} else if (!strcmp(argv[i], "-n") && strchr(c->options, 'n') && i + 1 < argc) {
			if (parse_u64(argv[++i], 100000, &n) < 0) {
				reply_error(r, "-n: '%.32s' is not a number in 0..100000", argv[i]);
				return false;
			}
			a->lines = (unsigned)n;
		} else if (argv[i][0] != '-' && !a->name && c->name != NAME_NONE) {
			a->name = argv[i];
		} else {
			reply_error(r, "%s: unexpected argument '%.64s'", c->verb, argv[i]);
			return false;
		}
	}
	if (c->name == NAME_REQUIRED && !a->name) {
		reply_error(r, "%s: a service name is required", c->verb);
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
