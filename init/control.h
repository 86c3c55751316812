/* PID 1's control socket (/run/keel/control.sock) for keelctl: root only
 * (SO_PEERCRED), non-blocking, at most CONTROL_CLIENTS clients, each with a
 * size limit and deadlines for its request and its reply. Line protocol:
 * the client sends one line "VERB [ARGS...]\n"; the server answers "OK\n" and
 * the body, or "ERR message\n", then closes (logs -f keeps streaming). */
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
};

void reply_printf(struct ctl_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reply_error(struct ctl_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reply_json_string(struct ctl_reply *r, const char *s);
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
