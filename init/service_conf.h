/* service.conf: a bundle's supervision policy ("key = value" lines, '#'
 * comments, every key optional). Parsed strictly by a pure function into a
 * struct; errors name "FILE:LINE". PID 1 never parses config.json. */
#ifndef KEEL_INIT_SERVICE_CONF_H
#define KEEL_INIT_SERVICE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kerr;

#define SERVICE_NAME_MAX  64
#define SERVICE_AFTER_MAX 16
#define SERVICE_CONF_MAX  8192 /* bytes; a larger file is an error */

enum restart_policy { RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_NEVER };

struct service_conf {
	enum restart_policy restart;
	char after[SERVICE_AFTER_MAX][SERVICE_NAME_MAX];
	unsigned n_after;
	uint32_t needs_mask;	   /* bit k: after[k] came from needs = (bound to it) */
	int notify_fd;		   /* ready = notify-fd N (3..63); -1 = ready = none */
	int stop_signal;	   /* default SIGTERM */
	uint32_t stop_timeout_ms;  /* default 10 s; then cgroup.kill */
	uint32_t start_timeout_ms; /* not ready by then: counts as a failed start; 0 = none */
	uint32_t restart_delay_ms; /* first backoff delay; doubles per crash */
	uint32_t restart_delay_max_ms;
	uint32_t restart_limit; /* crashes in a row before retrying at the max delay; 0 = no limit */
	bool restart_limit_final; /* "restart-limit = N final": then failed instead */
	uint32_t healthy_ms;	/* running this long resets the crash count */
	uint32_t log_buffer;	/* ring buffer bytes kept in PID 1 */
	int echo;		/* -1 = init's default, 0/1 = per service */
	bool required;		/* onboot: a failure drops to the emergency path */
};

/* Fills *c with the defaults documented in docs/supervisor.md. */
void service_conf_defaults(struct service_conf *c);

/* Parses text (len bytes, need not be NUL-terminated) over the defaults
 * already in *c. file names the source in errors ("FILE:LINE: ..."). */
int service_conf_parse(const char *text, size_t len, const char *file, struct service_conf *c,
		       struct kerr *err);

/* Reads and parses path; a missing file leaves the defaults (returns 0). */
int service_conf_load(const char *path, struct service_conf *c, struct kerr *err);

/* True when name is a valid service name: [A-Za-z0-9._-], 1..63 bytes, not
 * starting with '-', not "." / "..". */
bool service_name_valid(const char *name);

const char *restart_policy_name(enum restart_policy p);

#endif
