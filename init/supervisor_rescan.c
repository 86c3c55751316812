/* keelctl rescan: applies the spec directory as it is now, without a
 * reboot. New bundles are added (services start), removed ones are stopped
 * and their slot freed, changed ones (config.json or service.conf differs
 * in inode, size or mtime) are stopped, re-read and started again. The
 * work that must wait for an instance to be gone finishes while settling. */
#include "config.h"
#include "log.h"
#include "service.h"
#include "specdir.h"
#include "supervisor.h"
#include "supervisor_ctl.h"
#include "supervisor_int.h"

#include <stdio.h>
#include <string.h>

static const char *const mark_names[] = {
    [RS_NONE] = "", [RS_ADDED] = "added", [RS_REMOVED] = "removed", [RS_CHANGED] = "changed"};

static bool busy(const struct service *s)
{
	return svc_is_up(s) || s->state == ST_WAITING || s->state == ST_BACKOFF;
}

/* Starts what a rescan added, healed or changed, once nothing is pending. */
static void start_marked(void)
{
	size_t *n;
	struct service *arr = supervisor_slots(&n);

	for (size_t i = 0; i < *n; i++) {
		struct service *s = &arr[i];

		if (!s->rescan_start || s->rescan != RS_NONE)
			continue;
		s->rescan_start = false;
		if (s->kind == KIND_SERVICE && !s->broken && !s->gone && !busy(s))
			service_event(s, EV_UP);
	}
}

/* The old instance is gone: free the slot, or read the new version. */
static void finish(struct service *s)
{
	enum rescan_mark m = s->rescan;

	s->rescan = RS_NONE;
	s->want_up = false;
	if (m == RS_REMOVED) {
		s->gone = true;
		s->rescan_start = false;
		s->state = ST_DOWN;
		log_info("%s: removed", s->name);
		return;
	}
	specdir_reload(s);
	if (!s->bad_bundle && s->log_rd < 0)
		(void)supervisor_log_open(s);
	s->state = s->broken ? ST_FAILED : ST_DOWN;
	log_info("%s: re-read after a change", s->name);
}

static void rescan_settle(void)
{
	size_t *n;
	struct service *arr = supervisor_slots(&n);
	bool finished = false;

	for (size_t i = 0; i < *n; i++)
		if ((arr[i].rescan == RS_REMOVED || arr[i].rescan == RS_CHANGED) && !busy(&arr[i])) {
			finish(&arr[i]);
			finished = true;
		}
	if (finished) {
		supervisor_resolve_order();
		start_marked();
	}
}

/* Acts on one mark right after the scan. */
static void apply_mark(struct service *s)
{
	switch (s->rescan) {
	case RS_ADDED:
		s->rescan = RS_NONE;
		if (!s->bad_bundle && s->log_rd < 0)
			(void)supervisor_log_open(s);
		s->rescan_start = true;
		return;
	case RS_CHANGED:
		/* Restarted with the new version unless it was down on purpose. */
		s->rescan_start = s->state != ST_DOWN;
		break;
	case RS_REMOVED:
		s->rescan_start = false;
		break;
	case RS_NONE:
		return;
	}
	if (busy(s))
		service_event(s, EV_DOWN);
}

int supervisor_rescan(void (*report)(void *ctx, const char *what, const struct service *s),
		      void *ctx, char *why, size_t size)
{
	size_t *n;
	struct service *arr = supervisor_slots(&n);
	int r;

	supervisor_on_settle(rescan_settle);
	if (!supervisor_in_services_phase()) {
		snprintf(why, size, "rescan: only while services run (not during onboot or shutdown)");
		return -1;
	}
	if ((r = specdir_rescan(supervisor_config()->specdir, arr, n)) < 0) {
		snprintf(why, size, "rescan: unable to read %.200s: %s",
			 supervisor_config()->specdir, strerror(-r));
		return -1;
	}
	for (size_t i = 0; i < *n; i++)
		if (arr[i].rescan != RS_NONE) {
			log_info("rescan: %s %s", mark_names[arr[i].rescan], arr[i].dir);
			report(ctx, mark_names[arr[i].rescan], &arr[i]);
			apply_mark(&arr[i]);
		}
	supervisor_resolve_order();
	start_marked();
	supervisor_changed(NULL);
	return 0;
}
