/* PID 1's control socket (/run/keel/control.sock) for keelctl: root only
 * (SO_PEERCRED; the log-writer service may follow all logs), non-blocking,
 * at most CONTROL_CLIENTS requests and CONTROL_FOLLOWERS logs -f streams at
 * once, each with a size limit and deadlines for its request and its reply.
 * Line protocol: the client sends one line "VERB [ARGS...]\n"; the server
 * answers "OK\n" and the body, or "ERR message\n", then closes (logs -f
 * keeps streaming). Log bodies are raw bytes (NUL included). */
#ifndef KEEL_INIT_CONTROL_H
#define KEEL_INIT_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONTROL_SOCK	    "/run/keel/control.sock"
#define CONTROL_REQUEST_MAX 512

struct service;

/* A growing reply, capped so a huge status cannot eat PID 1's memory. */
struct ctl_reply {
	char *buf;
	size_t len, cap;
	bool error;		/* reply is "ERR ..." */
	struct service *follow; /* logs: stream this service's ring buffer */
	uint64_t follow_pos;
	bool follow_forever; /* logs -f: keep waiting at the head */
	bool follow_all;     /* logs -f --all: every ring, "NAME: line" records */
};

/* The one request a non-root peer may make, and only the log-writer
 * service's uid (see control.c): a read-only stream of every log. */
#define CONTROL_FOLLOW_ALL "logs -f --all"

/* ctl_follow.c: the log stream of a follower, refilled from the rings. */
struct ctl_follow {
	uint64_t *pos; /* follow_all: one position per service */
	size_t n, next;
};
/* Sets up f for r's request; 0 or -ENOMEM. */
int follow_begin(struct ctl_follow *f, const struct ctl_reply *r);
void follow_end(struct ctl_follow *f);
/* Replaces r's buffer with the next bytes to send (maybe none). */
void follow_fill(struct ctl_follow *f, struct ctl_reply *r);
/* True when this follower streams s. */
bool follow_wants(const struct ctl_follow *f, const struct ctl_reply *r, const struct service *s);

void reply_printf(struct ctl_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reply_error(struct ctl_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reply_json_string(struct ctl_reply *r, const char *s);
/* Raw bytes (log data: may hold NUL). */
void reply_append(struct ctl_reply *r, const char *data, size_t n);
/* The one JSON string escaper (", \\, control characters as \\u00XX): writes
 * at most size-1 bytes and a NUL into out, cut before an escape that would
 * not fit; returns the length. */
#define JSON_ESCAPED_MAX 2048 /* escaped size of the strings keel sends (<= 300 bytes) */
size_t json_escape(const char *s, char *out, size_t size);

/* ctl_cmds.c: runs one request line (no newline; split on blanks). */
void ctl_request(char *line, struct ctl_reply *r);
/* ctl_cmds.c: poweroff/reboot/halt go to init core through this (set by main). */
enum power_action;
void ctl_set_power_hook(void (*request)(enum power_action action));

int control_start(void);
void control_log_appended(struct service *s);
int64_t control_deadline(void);
void control_tick(int64_t now);

#endif
