/* The boot timeline in PID 1 (init/boottime.c) end to end with keelctl's
 * parser: state changes of stub services recorded once each (restarts do not
 * move them), a job's ST_READY counted as started only, the table bound,
 * the "boot" reply read back by bootchart_parse. */
#include "../../init/bootchart.h"
#include "../../init/boottime.h"
#include "../../init/control.h"
#include "../../init/supervisor_ctl.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static struct service svcs[2];

const char *svc_state_name(enum svc_state st)
{
	return st == ST_READY ? "ready" : "done";
}
size_t supervisor_count(void)
{
	return 2;
}
struct service *supervisor_at(size_t i)
{
	return i < 2 ? &svcs[i] : NULL;
}

static void walk(struct service *s, const enum svc_state *states, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		s->state = states[i];
		boottime_service(s, states[i]);
	}
}

static void record(void)
{
	static const enum svc_state job[] = {ST_CREATING, ST_STARTING, ST_READY, ST_CLEANUP,
					     ST_DONE};
	static const enum svc_state svc[] = {ST_WAITING,  ST_CREATING, ST_STARTING, ST_RUNNING,
					     ST_READY,	  ST_CLEANUP,  ST_BACKOFF,  ST_CREATING,
					     ST_STARTING, ST_RUNNING,  ST_READY};

	strcpy(svcs[0].name, "10-job");
	svcs[0].kind = KIND_ONBOOT;
	strcpy(svcs[1].name, "web");
	svcs[1].kind = KIND_SERVICE;
	svcs[1].conf.n_after = 1;
	strcpy(svcs[1].conf.after[0], "db");
	boottime_start(false);
	boottime_mark(BM_MOUNTS);
	boottime_mark(BM_MOUNTS); /* the first mark wins */
	walk(&svcs[0], job, sizeof(job) / sizeof(job[0]));
	walk(&svcs[1], svc, sizeof(svc) / sizeof(svc[0]));
	boottime_mark(BM_READY);
}

static void check_bound(void)
{
	struct service extra = {.kind = KIND_SERVICE};
	struct ctl_reply r = {0};

	for (int i = 0; i < BOOT_UNITS_MAX + 5; i++) {
		snprintf(extra.name, sizeof(extra.name), "x%d", i);
		boottime_service(&extra, ST_CREATING);
	}
	boottime_reply(&r);
	CHECK(r.buf && strstr(r.buf, "\ndropped 7\n"), "table bounded: 7 of %d dropped",
	      BOOT_UNITS_MAX + 5);
	free(r.buf);
}

int main(void)
{
	static struct bootchart bc;
	struct ctl_reply r = {0};
	char err[160] = "";
	const struct bc_unit *job, *web;

	record();
	boottime_reply(&r);
	CHECK(r.buf && !strncmp(r.buf, "OK\nclock init\nnow ", 18), "reply: OK, clock, now");
	CHECK(bootchart_parse(r.buf + 3, &bc, err, sizeof(err)) == 0, "keelctl parses it %s", err);
	CHECK(bc.n_phases == 4 && !strcmp(bc.phase[1].name, "mounts") &&
		  !strcmp(bc.phase[2].name, "specdir") && !strcmp(bc.phase[3].name, "services"),
	      "phases: kernel, mounts, specdir (first spawn), services; unmarked left out");
	job = bc.n_units == 2 ? &bc.unit[0] : NULL;
	web = bc.n_units == 2 ? &bc.unit[1] : NULL;
	CHECK(job && !strcmp(job->name, "10-job") && job->at[BC_STARTED] >= 0 &&
		  job->at[BC_READY] == BC_UNSET && job->at[BC_EXITED] >= job->at[BC_STARTED],
	      "job: started and exited, never 'ready'");
	CHECK(web && web->at[BC_WANTED] >= 0 && web->at[BC_READY] >= web->at[BC_STARTED] &&
		  web->at[BC_EXITED] >= 0 && web->n_deps == 1 && !strcmp(web->deps[0], "db"),
	      "service: wanted..ready, first exit kept, after= listed");
	free(r.buf);
	check_bound();
	return TAP_DONE();
}
