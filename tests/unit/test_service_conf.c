/* service.conf parser: every key, defaults, and the error paths (file:line). */
#include "../../init/service_conf.h"
#include "err.h"
#include "tap.h"

#include <signal.h>
#include <string.h>

static int parse(const char *text, struct service_conf *c, struct kerr *err)
{
	service_conf_defaults(c);
	memset(err, 0, sizeof(*err));
	return service_conf_parse(text, strlen(text), "svc.conf", c, err);
}

static void check_full(void)
{
	struct service_conf c;
	struct kerr err;
	const char *text = "# comment\n"
			   "restart = on-failure   # trailing comment\n"
			   "after = logger net,dns\n"
			   "ready = notify-fd 5\n"
			   "\tstop-signal = SIGINT\r\n"
			   "stop-timeout = 500ms\n"
			   "start-timeout = 2m\n"
			   "restart-delay = 50ms\n"
			   "restart-delay-max = 3s\n"
			   "restart-limit = 0\n"
			   "healthy-after = 4\n"
			   "log-buffer = 16K\n"
			   "echo = no\n"
			   "required = yes\n";
	int r = parse(text, &c, &err);

	CHECK(r == 0, "every key parses (%s)", r ? err.msg : "ok");
	CHECK(c.restart == RESTART_ON_FAILURE, "restart = on-failure");
	CHECK(c.n_after == 3 && !strcmp(c.after[0], "logger") && !strcmp(c.after[2], "dns"),
	      "after splits on spaces and commas");
	CHECK(c.notify_fd == 5, "ready = notify-fd 5");
	CHECK(c.stop_signal == SIGINT, "stop-signal SIGINT, CRLF and leading tab tolerated");
	CHECK(c.stop_timeout_ms == 500 && c.start_timeout_ms == 120000, "durations ms and m");
	CHECK(c.restart_delay_ms == 50 && c.restart_delay_max_ms == 3000 && c.healthy_ms == 4000,
	      "restart-delay, restart-delay-max, healthy-after (bare number = seconds)");
	CHECK(c.restart_limit == 0 && c.log_buffer == 16384, "restart-limit 0, log-buffer 16K");
	CHECK(c.echo == 0 && c.required, "echo = no, required = yes");
}

static void check_new_keys(void)
{
	struct service_conf c;
	struct kerr err;
	int r = parse("after = a\nneeds = b, c\nrestart-limit = 5 final\n", &c, &err);

	CHECK(r == 0, "needs and restart-limit N final parse (%s)", r ? err.msg : "ok");
	CHECK(c.n_after == 3 && !strcmp(c.after[1], "b") && c.needs_mask == 6u,
	      "needs names join the after list, marked in needs_mask");
	CHECK(c.restart_limit == 5 && c.restart_limit_final, "restart-limit = 5 final");
	CHECK(parse("restart-limit = 5\n", &c, &err) == 0 && !c.restart_limit_final,
	      "restart-limit without final: not final");
}

static void check_defaults(void)
{
	struct service_conf c;
	struct kerr err;

	CHECK(parse("", &c, &err) == 0, "empty file is valid");
	CHECK(c.restart == RESTART_ALWAYS && c.notify_fd == -1 && c.stop_signal == SIGTERM &&
		  c.stop_timeout_ms == 10000 && c.restart_limit == 8 && c.echo == -1,
	      "defaults: always, ready none, TERM, 10 s, limit 8, echo inherits");
	CHECK(parse("ready = notify-fd 3\nready = none\n", &c, &err) < 0 &&
		  strstr(err.msg, "svc.conf:2: ready: given twice"),
	      "a key given twice is an error at its second line: %s", err.msg);
}

static const struct bad_case {
	const char *text;
	const char *want; /* substring of the error */
} bad_cases[] = {
    {"restart = sometimes\n", "svc.conf:1: restart: 'sometimes' is not one of"},
    {"\n\nbogus = 1\n", "svc.conf:3: unknown key 'bogus'"},
    {"restart\n", "svc.conf:1: expected 'key = value'"},
    {"after = ../etc\n", "svc.conf:1: after: '../etc' is not a valid service name"},
    {"ready = notify-fd 2\n", "notify fd '2' is not a number in 3..63"},
    {"ready = notify-fd\n", "is not 'none' or 'notify-fd N'"},
    {"ready = notify-fd 3x\n", "notify fd '3x'"},
    {"stop-signal = FOO\n", "stop-signal: 'FOO' is not a signal"},
    {"stop-timeout = -1\n", "stop-timeout: '-1' is not a duration"},
    {"stop-timeout = 10h\n", "is not a duration"},
    {"stop-timeout = 99999999999999999999\n", "is not a duration"},
    {"stop-timeout = 2000m\n", "is not a duration"},
    {"log-buffer = 100M\n", "log-buffer: '100M' is not a size"},
    {"log-buffer = 10\n", "is not a size in 1K..4M"},
    {"echo = maybe\n", "echo: 'maybe' is not yes or no"},
    {"restart-limit = 1e3\n", "restart-limit: '1e3' is not a number"},
    {"stop-timeout =\n", "stop-timeout: empty value"},
    {"restart-delay = 5s\nrestart-delay-max = 1s\n", "restart-delay-max is below restart-delay"},
    {"after = a b c d e f g h i j k l m n o p q\n", "more than 16 names"},
    {"after = a b c d e f g h i j\nneeds = k l m n o p q\n", "more than 16 names"},
    {"needs = -x\n", "needs: '-x' is not a valid service name"},
    {"restart-limit = 3 finally\n", "restart-limit: '3 finally' is not 'N' or 'N final'"},
    {"restart-limit = 0 final\n", "0 (no limit) cannot be final"},
    {"restart-limit = final\n", "is not a number"},
};

static void check_errors(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct service_conf c;
		struct kerr err;
		int r = parse(bad_cases[i].text, &c, &err);

		CHECK(r < 0 && strstr(err.msg, bad_cases[i].want), "rejects %.*s: got '%s'",
		      (int)strcspn(bad_cases[i].text, "\n"), bad_cases[i].text,
		      r < 0 ? err.msg : "");
	}
}

static void check_binary(void)
{
	struct service_conf c;
	struct kerr err;
	char big[SERVICE_CONF_MAX + 2];
	static const char nul[] = "restart = never\0x\n";

	service_conf_defaults(&c);
	CHECK(service_conf_parse(nul, sizeof(nul) - 1, "f", &c, &err) < 0 &&
		  strstr(err.msg, "f:1: NUL byte"),
	      "a NUL byte is an error");
	memset(big, '#', sizeof(big));
	CHECK(service_conf_parse(big, sizeof(big), "f", &c, &err) < 0 &&
		  strstr(err.msg, "larger than"),
	      "an oversized file is an error");
	memset(big, ' ', 2000);
	CHECK(service_conf_parse(big, 2000, "f", &c, &err) < 0 &&
		  strstr(err.msg, "f:1: line longer"),
	      "an overlong line is an error");
	CHECK(service_conf_load("/nonexistent/service.conf", &c, &err) == 0,
	      "a missing service.conf means defaults");
}

static void check_names(void)
{
	CHECK(service_name_valid("net-1.x_y"), "valid name");
	CHECK(!service_name_valid("") && !service_name_valid("..") && !service_name_valid("a/b") &&
		  !service_name_valid("a b"),
	      "empty, .., slash and space are invalid names");
	CHECK(!service_name_valid("-x") && !service_name_valid("--help") && service_name_valid("x-"),
	      "a name starting with '-' is invalid (it would read as an option)");
}

int main(void)
{
	check_full();
	check_defaults();
	check_new_keys();
	check_errors();
	check_binary();
	check_names();
	return TAP_DONE();
}
