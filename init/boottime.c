/* The boot timeline's table and its "boot" control reply. Recording is a
 * clock read and a store into fixed arrays: nothing here allocates, blocks
 * or can fail, so the one-line hooks cannot change how boot behaves. The
 * reply is plain lines (no JSON in PID 1); keelctl boot formats it. */
#include "boottime.h"
#include "control.h"
#include "supervisor_ctl.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define UNSET  (-1)

enum unit_event { UE_WANTED, UE_SPAWN, UE_CREATED, UE_STARTED, UE_READY, UE_EXITED, N_UE };

static const char *const mark_names[N_BOOT_MARKS] = {
    [BM_INIT] = "kernel",	  [BM_SWITCH_ROOT] = "switch_root", [BM_MOUNTS] = "mounts",
    [BM_LOOPBACK] = "loopback",	  [BM_MODULES] = "modules",	    [BM_CGROUPS] = "cgroups",
    [BM_FIRST_SPAWN] = "specdir", [BM_READY] = "services",
};

/* Which event a state entered stands for; N_UE = none. */
static const enum unit_event state_events[N_STATES] = {
    [ST_DOWN] = N_UE,		[ST_WAITING] = UE_WANTED,  [ST_CREATING] = UE_SPAWN,
    [ST_STARTING] = UE_CREATED, [ST_RUNNING] = UE_STARTED, [ST_READY] = UE_STARTED,
    [ST_STOPPING] = N_UE,	[ST_CLEANUP] = UE_EXITED,  [ST_BACKOFF] = N_UE,
    [ST_DONE] = UE_EXITED,	[ST_FAILED] = UE_EXITED,
};

static struct {
	int64_t origin_us; /* CLOCK_BOOTTIME us that is "0 ms" */
	int64_t init_us;   /* init's first start */
	int64_t marks[N_BOOT_MARKS];
	struct {
		char name[SERVICE_NAME_MAX];
		int64_t at[N_UE];
	} units[BOOT_UNITS_MAX];
	unsigned n_units, dropped;
} bt;

static int64_t boottime_us(void)
{
	struct timespec ts;

	/* CLOCK_BOOTTIME cannot fail with a valid pointer (Linux >= 2.6.39). */
	(void)clock_gettime(CLOCK_BOOTTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t since_origin_ms(int64_t us)
{
	return (us - bt.origin_us) / 1000;
}

void boottime_start(bool machine)
{
	int64_t now = boottime_us();

	for (int m = 0; m < N_BOOT_MARKS; m++)
		bt.marks[m] = UNSET;
	bt.init_us = now;
	bt.origin_us = machine ? 0 : bt.init_us;
	bt.marks[BM_INIT] = bt.init_us;
}

static void mark_at(enum boot_mark m, int64_t us)
{
	if (bt.marks[m] == UNSET)
		bt.marks[m] = us;
}

void boottime_mark(enum boot_mark m)
{
	mark_at(m, boottime_us());
}

static int unit_index(const char *name)
{
	for (unsigned i = 0; i < bt.n_units; i++)
		if (!strcmp(bt.units[i].name, name))
			return (int)i;
	return -1;
}

static void set_first(int64_t *at, enum unit_event ev, int64_t us)
{
	if (at[ev] == UNSET)
		at[ev] = us;
}

void boottime_service(const struct service *s, enum svc_state st)
{
	enum unit_event ev = state_events[st];
	int64_t now = boottime_us(), *at;
	int i;

	if (ev == N_UE)
		return;
	if ((i = unit_index(s->name)) < 0) {
		if (bt.n_units == BOOT_UNITS_MAX) {
			bt.dropped++;
			return;
		}
		i = (int)bt.n_units++;
		snprintf(bt.units[i].name, sizeof(bt.units[i].name), "%s", s->name);
		for (int e = 0; e < N_UE; e++)
			bt.units[i].at[e] = UNSET;
	}
	at = bt.units[i].at;
	if (st == ST_READY && s->kind == KIND_SERVICE)
		ev = UE_READY; /* a job in ST_READY has only started */
	set_first(at, ev, now);
	if (ev == UE_READY)
		set_first(at, UE_STARTED, now); /* no notify fd: both at once */
	if (ev == UE_SPAWN) {
		set_first(at, UE_WANTED, now); /* it did not wait for after= */
		mark_at(BM_FIRST_SPAWN, now);
	}
}

static void reply_ms(struct ctl_reply *r, int64_t us)
{
	if (us == UNSET)
		reply_printf(r, " -");
	else
		reply_printf(r, " %lld", (long long)since_origin_ms(us));
}

static void reply_phases(struct ctl_reply *r)
{
	int64_t prev = bt.origin_us;

	for (int m = 0; m < N_BOOT_MARKS; m++) {
		if (bt.marks[m] == UNSET)
			continue;
		reply_printf(r, "phase %s", mark_names[m]);
		reply_ms(r, prev);
		reply_ms(r, bt.marks[m]);
		reply_printf(r, "\n");
		prev = bt.marks[m];
	}
}

static const char *const kind_words[] = {
    [KIND_ONBOOT] = "onboot", [KIND_SERVICE] = "service", [KIND_ONSHUTDOWN] = "onshutdown"};

/* "unit NAME KIND STATE RESTARTS WANTED SPAWN CREATED STARTED READY EXITED DEP...";
 * names are [A-Za-z0-9._-] (service_name_valid), so words are safe. */
static void reply_unit(struct ctl_reply *r, const struct service *s)
{
	int i = unit_index(s->name);

	reply_printf(r, "unit %s %s %s %u", s->name, kind_words[s->kind], svc_state_name(s->state),
		     s->restarts);
	for (int e = 0; e < N_UE; e++)
		reply_ms(r, i < 0 ? UNSET : bt.units[i].at[e]);
	for (unsigned k = 0; k < s->conf.n_after; k++)
		reply_printf(r, " %s", s->conf.after[k]);
	reply_printf(r, "\n");
}

void boottime_reply(struct ctl_reply *r)
{
	reply_printf(r, "OK\nclock %s\nnow", bt.origin_us ? "init" : "boottime");
	reply_ms(r, boottime_us());
	reply_printf(r, "\ndropped %u\n", bt.dropped);
	reply_phases(r);
	for (size_t i = 0; i < supervisor_count(); i++)
		if (supervisor_at(i)->kind != KIND_ONSHUTDOWN)
			reply_unit(r, supervisor_at(i));
}
