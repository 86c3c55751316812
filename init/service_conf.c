/* The service.conf parser: pure and strict. One table row per key; each value
 * parser fills one field or fails with a message that service_conf_parse
 * prefixes with "FILE:LINE: KEY". A file is all-or-nothing. */
#include "service_conf.h"
#include "err.h"
#include "io.h"
#include "parse.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 1024

void service_conf_defaults(struct service_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->restart = RESTART_ALWAYS;
	c->notify_fd = -1;
	c->stop_signal = SIGTERM;
	c->stop_timeout_ms = 10000;
	c->start_timeout_ms = 0;
	c->restart_delay_ms = 100;
	c->restart_delay_max_ms = 30000;
	c->restart_limit = 8;
	c->healthy_ms = 10000;
	c->log_buffer = 64 * 1024;
	c->echo = -1;
}

bool service_name_valid(const char *name)
{
	size_t n = strlen(name);

	/* A leading '-' would read as an option on runc-shim's command line. */
	if (n == 0 || n >= SERVICE_NAME_MAX || name[0] == '-' || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
	       n;
}

static const char *const restart_names[] = {
    [RESTART_ALWAYS] = "always",
    [RESTART_ON_FAILURE] = "on-failure",
    [RESTART_NEVER] = "never",
};

const char *restart_policy_name(enum restart_policy p)
{
	return restart_names[p];
}

/* A number with an optional unit suffix from units[] (first entry: no suffix). */
struct unit {
	const char *suffix;
	uint64_t mult;
};

static int parse_scaled(const char *v, const struct unit *units, uint64_t max, uint64_t *out)
{
	size_t digits = strspn(v, "0123456789");
	char num[24];
	uint64_t n;

	if (digits == 0 || digits >= sizeof(num))
		return -EINVAL;
	memcpy(num, v, digits);
	num[digits] = '\0';
	if (parse_u64(num, UINT64_MAX, &n) < 0)
		return -ERANGE;
	for (; units->suffix; units++) {
		if (strcmp(v + digits, units->suffix) != 0)
			continue;
		if (n > max / units->mult)
			return -ERANGE;
		*out = n * units->mult;
		return 0;
	}
	return -EINVAL;
}

/* Durations: "10" and "10s" are seconds, "500ms", "2m"; at most one day. */
static int parse_duration_ms(const char *v, uint32_t *out, struct kerr *err)
{
	static const struct unit units[] = {
	    {"", 1000}, {"s", 1000}, {"ms", 1}, {"m", 60000}, {NULL, 0},
	};
	uint64_t ms;

	if (parse_scaled(v, units, 86400000, &ms) < 0)
		return kerr_set(err, 0,
				"'%s' is not a duration (e.g. 10, 10s, 500ms, 2m; max 1 day)", v);
	*out = (uint32_t)ms;
	return 0;
}

static int parse_words(const char *v, const char *const *names, size_t n, int *out)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && !strcmp(v, names[i])) {
			*out = (int)i;
			return 0;
		}
	return -EINVAL;
}

static int set_restart(struct service_conf *c, const char *v, struct kerr *err)
{
	int p;

	if (parse_words(v, restart_names, sizeof(restart_names) / sizeof(restart_names[0]), &p) < 0)
		return kerr_set(err, 0, "'%s' is not one of always, on-failure, never", v);
	c->restart = (enum restart_policy)p;
	return 0;
}

/* after = and needs = share one list; needs_mask marks the needs names. */
static int add_deps(struct service_conf *c, const char *v, bool needs, struct kerr *err)
{
	char buf[LINE_MAX_LEN], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", v);
	for (char *w = strtok_r(buf, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
		if (!service_name_valid(w))
			return kerr_set(err, 0, "'%s' is not a valid service name", w);
		if (c->n_after == SERVICE_AFTER_MAX)
			return kerr_set(err, 0, "more than %d names with after and needs",
					SERVICE_AFTER_MAX);
		if (needs)
			c->needs_mask |= 1u << c->n_after;
		snprintf(c->after[c->n_after++], SERVICE_NAME_MAX, "%s", w);
	}
	return 0;
}

static int set_after(struct service_conf *c, const char *v, struct kerr *err)
{
	return add_deps(c, v, false, err);
}

static int set_needs(struct service_conf *c, const char *v, struct kerr *err)
{
	return add_deps(c, v, true, err);
}

static int set_ready(struct service_conf *c, const char *v, struct kerr *err)
{
	long fd;

	if (!strcmp(v, "none")) {
		c->notify_fd = -1;
		return 0;
	}
	if (strncmp(v, "notify-fd", 9) != 0 || (v[9] != ' ' && v[9] != '\t'))
		return kerr_set(err, 0, "'%s' is not 'none' or 'notify-fd N'", v);
	v += 10 + strspn(v + 10, " \t");
	/* 0-2 are stdio; runc-shim preserves fds from 3 on. */
	if (parse_long(v, 3, 63, &fd) < 0)
		return kerr_set(err, 0, "notify fd '%s' is not a number in 3..63", v);
	c->notify_fd = (int)fd;
	return 0;
}

static int set_stop_signal(struct service_conf *c, const char *v, struct kerr *err)
{
	int sig = signal_from_name(v);

	if (sig < 0)
		return kerr_set(err, 0, "'%s' is not a signal", v);
	c->stop_signal = sig;
	return 0;
}

static int set_bool(const char *v, bool *out, struct kerr *err)
{
	static const char *const names[] = {"no", "yes", "false", "true", "0", "1", "off", "on"};
	int i;

	if (parse_words(v, names, sizeof(names) / sizeof(names[0]), &i) < 0)
		return kerr_set(err, 0, "'%s' is not yes or no", v);
	*out = i & 1;
	return 0;
}

static int set_echo(struct service_conf *c, const char *v, struct kerr *err)
{
	bool b;
	int r = set_bool(v, &b, err);

	if (r == 0)
		c->echo = b;
	return r;
}

static int set_required(struct service_conf *c, const char *v, struct kerr *err)
{
	return set_bool(v, &c->required, err);
}

static int set_uint(const char *v, uint64_t min, uint64_t max, uint32_t *out, struct kerr *err)
{
	uint64_t n;

	if (parse_u64(v, max, &n) < 0 || n < min)
		return kerr_set(err, 0, "'%s' is not a number in %llu..%llu", v,
				(unsigned long long)min, (unsigned long long)max);
	*out = (uint32_t)n;
	return 0;
}

/* "N" or "N final": with final, N crashes in a row fail the service;
 * without, it keeps being retried at restart-delay-max. */
static int set_restart_limit(struct service_conf *c, const char *v, struct kerr *err)
{
	char num[24];
	size_t n = strcspn(v, " \t");
	const char *rest = v + n + strspn(v + n, " \t");

	if (n >= sizeof(num) || (*rest && strcmp(rest, "final") != 0))
		return kerr_set(err, 0, "'%s' is not 'N' or 'N final'", v);
	memcpy(num, v, n);
	num[n] = '\0';
	c->restart_limit_final = *rest != '\0';
	if (c->restart_limit_final && !strcmp(num, "0"))
		return kerr_set(err, 0, "'%s': 0 (no limit) cannot be final", v);
	return set_uint(num, 0, 1000000, &c->restart_limit, err);
}

static int set_log_buffer(struct service_conf *c, const char *v, struct kerr *err)
{
	static const struct unit units[] = {{"", 1}, {"K", 1024}, {"M", 1024 * 1024}, {NULL, 0}};
	uint64_t n;

	/* Bounded: PID 1 holds every buffer in memory. */
	if (parse_scaled(v, units, 4 * 1024 * 1024, &n) < 0 || n < 1024)
		return kerr_set(err, 0, "'%s' is not a size in 1K..4M", v);
	c->log_buffer = (uint32_t)n;
	return 0;
}

#define DURATION_SETTER(fn, field)                                                                 \
	static int fn(struct service_conf *c, const char *v, struct kerr *err)                     \
	{                                                                                          \
		return parse_duration_ms(v, &c->field, err);                                       \
	}
DURATION_SETTER(set_stop_timeout, stop_timeout_ms)
DURATION_SETTER(set_start_timeout, start_timeout_ms)
DURATION_SETTER(set_restart_delay, restart_delay_ms)
DURATION_SETTER(set_restart_delay_max, restart_delay_max_ms)
DURATION_SETTER(set_healthy, healthy_ms)

static const struct conf_key {
	const char *name;
	int (*set)(struct service_conf *c, const char *value, struct kerr *err);
} conf_keys[] = {
    {"restart", set_restart},
    {"after", set_after},
    {"needs", set_needs},
    {"ready", set_ready},
    {"stop-signal", set_stop_signal},
    {"stop-timeout", set_stop_timeout},
    {"start-timeout", set_start_timeout},
    {"restart-delay", set_restart_delay},
    {"restart-delay-max", set_restart_delay_max},
    {"restart-limit", set_restart_limit},
    {"healthy-after", set_healthy},
    {"log-buffer", set_log_buffer},
    {"echo", set_echo},
    {"required", set_required},
};
#define N_KEYS (sizeof(conf_keys) / sizeof(conf_keys[0]))

static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t\r");
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* One line (NUL-terminated, no '\n'); seen[] catches a key given twice. */
static int parse_line(char *line, struct service_conf *c, bool *seen, struct kerr *err)
{
	char *hash = strchr(line, '#'), *eq, *key, *value;

	if (hash)
		*hash = '\0';
	line = trim(line);
	if (!*line)
		return 0;
	if (!(eq = strchr(line, '=')))
		return kerr_set(err, 0, "expected 'key = value'");
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	for (size_t i = 0; i < N_KEYS; i++) {
		if (strcmp(key, conf_keys[i].name) != 0)
			continue;
		if (seen[i])
			return kerr_set(err, 0, "%s: given twice", key);
		seen[i] = true;
		if (!*value)
			return kerr_set(err, 0, "%s: empty value", key);
		if (conf_keys[i].set(c, value, err) < 0)
			return kerr_wrap(err, "%s", key);
		return 0;
	}
	return kerr_set(err, 0, "unknown key '%.64s'", key);
}

int service_conf_parse(const char *text, size_t len, const char *file, struct service_conf *c,
		       struct kerr *err)
{
	bool seen[N_KEYS] = {false};
	size_t pos = 0;
	unsigned lineno = 0;

	if (len > SERVICE_CONF_MAX)
		return kerr_set(err, 0, "%s: larger than %d bytes", file, SERVICE_CONF_MAX);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char line[LINE_MAX_LEN];

		lineno++;
		if (n >= sizeof(line))
			return kerr_set(err, 0, "%s:%u: line longer than %d bytes", file, lineno,
					LINE_MAX_LEN - 1);
		memcpy(line, text + pos, n);
		line[n] = '\0';
		if (strlen(line) != n)
			return kerr_set(err, 0, "%s:%u: NUL byte", file, lineno);
		if (parse_line(line, c, seen, err) < 0)
			return kerr_wrap(err, "%s:%u", file, lineno);
		pos += n + 1;
	}
	if (c->restart_delay_max_ms < c->restart_delay_ms)
		return kerr_set(err, 0, "%s: restart-delay-max is below restart-delay", file);
	return 0;
}

int service_conf_load(const char *path, struct service_conf *c, struct kerr *err)
{
	autofree char *text = NULL;
	ssize_t n = read_file_alloc(path, SERVICE_CONF_MAX, &text);

	if (n == -ENOENT)
		return 0;
	if (n == -EFBIG)
		return kerr_set(err, 0, "%s: larger than %d bytes", path, SERVICE_CONF_MAX);
	if (n == -EINVAL) /* read_file_alloc: a FIFO or device is never read */
		return kerr_set(err, 0, "%s: not a regular file", path);
	if (n < 0)
		return kerr_set(err, (int)-n, "unable to read %s", path);
	return service_conf_parse(text, (size_t)n, path, c, err);
}
