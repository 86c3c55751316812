/* `pause ID` and `resume ID`: freeze and thaw the container's cgroup
 * (cgroup v2 cgroup.freeze, as runc and crun do on v2); `state` then says
 * "paused". */
#include "cgroups.h"
#include "shim.h"
#include "state.h"

static int set_frozen(const struct shim_global *g, int argc, char **argv, bool frozen,
		      struct kerr *err)
{
	struct state s;
	enum state_status st;
	int r;

	if (argc != 2)
		return kerr_set(err, 0, "%s: expected exactly one container ID", argv[0]);
	if ((r = state_read(g->root, argv[1], &s, err)) < 0)
		return r;
	st = state_status(g->root, &s);
	if (frozen && st != ST_RUNNING)
		return kerr_set(err, 0, "container \"%s\" is not running (%s)", s.id,
				state_status_name(st));
	if (!frozen && st != ST_PAUSED)
		return kerr_set(err, 0, "container \"%s\" is not paused (%s)", s.id,
				state_status_name(st));
	if ((r = cgroup_freeze(s.cgroup, frozen, err)) < 0)
		return kerr_wrap(err, "%s %s", argv[0], s.id);
	return 0;
}

int cmd_pause(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	return set_frozen(g, argc, argv, true, err);
}

int cmd_resume(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	return set_frozen(g, argc, argv, false, err);
}
