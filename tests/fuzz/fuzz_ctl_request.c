/* libFuzzer target: a control request line (keelctl's protocol) through
 * ctl_request against two stub services. It must never crash, and the
 * reply must be "OK\n..." or exactly one "ERR ...\n" line. */
#include "../../init/config.h"
#include "../../init/control.h"
#include "../../init/power.h"
#include "../../init/service.h"
#include "../../init/supervisor_ctl.h"
#include "../../init/svc_logtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct service svcs[2];
static struct init_config cfg = {.runtime = "/sbin/runc-shim"}; /* exec NAME's answer */

const struct init_config *svc_config(void) { return &cfg; }

int64_t now_ms(void) { return 5000; }
void power_request(enum power_action action) { (void)action; }
const char *svc_state_name(enum svc_state st) { return st == ST_READY ? "ready" : "down"; }
size_t supervisor_count(void) { return 2; }
struct service *supervisor_at(size_t i) { return i < 2 ? &svcs[i] : NULL; }

struct service *supervisor_find(const char *name)
{
	for (size_t i = 0; i < 2; i++)
		if (!strcmp(svcs[i].name, name))
			return &svcs[i];
	return NULL;
}

int supervisor_ctl(struct service *s, enum ctl_op op, char *why, size_t size)
{
	(void)op;
	if (s == &svcs[1]) {
		strncpy(why, "refused \"quoted\"", size - 1);
		return -1;
	}
	return 0;
}

int supervisor_signal(struct service *s, int sig, char *why, size_t size)
{
	return supervisor_ctl(s, (enum ctl_op)sig, why, size);
}

void supervisor_wait_reason(const struct service *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s", s == &svcs[1] ? "waiting: web failed" : "");
}

int supervisor_rescan(void (*report)(void *ctx, const char *what, const struct service *s),
		      void *ctx, char *why, size_t size)
{
	report(ctx, "added", &svcs[0]);
	snprintf(why, size, "rescan: refused");
	return svcs[1].restarts ? -1 : 0;
}

int64_t svc_log_time_at(const struct service *s, uint64_t pos)
{
	(void)s;
	return pos < 5 ? -1 : 1700000000000 + (int64_t)pos;
}

static void setup(void)
{
	strcpy(svcs[0].name, "web");
	svcs[0].state = ST_READY;
	svcs[0].last_status = 9; /* killed by SIGKILL */
	logbuf_init(&svcs[0].log, 256);
	logbuf_append(&svcs[0].log, "line one\nline two\n", 18);
	strcpy(svcs[1].name, "db");
	svcs[1].last_status = -1;
	strcpy(svcs[1].error, "after cycle: \"db\" -> db\n");
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct ctl_reply r = { 0 };
	char line[CONTROL_REQUEST_MAX];

	if (!svcs[0].log.data) {
		setup();
		ctl_set_power_hook(power_request);
	}
	if (size >= sizeof(line))
		return 0; /* the server refuses longer requests before parsing */
	memcpy(line, data, size);
	line[size] = '\0';
	ctl_request(line, &r);
	if (!r.buf || r.len < 3)
		abort();
	if (!strncmp(r.buf, "ERR ", 4)) {
		if (r.buf[r.len - 1] != '\n' || memchr(r.buf, '\n', r.len - 1) || r.follow)
			abort();
	} else if (strncmp(r.buf, "OK\n", 3) != 0) {
		abort();
	}
	free(r.buf);
	return 0;
}
