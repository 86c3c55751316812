/* `delete [--force] ID`: removes a stopped container's cgroup and state
 * dir; --force first kills whatever is left of it and waits until it is
 * gone (kill_wait.c). */
#include "cgroups.h"
#include "hooks.h"
#include "kill_wait.h"
#include "shim.h"
#include "state.h"

#include <getopt.h>
#include <string.h>

int cmd_delete(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
	bool force = false;
	struct state s;
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (c != 'f')
			return kerr_set(err, 0, "delete: unknown option %s", argv[optind - 1]);
		force = true;
	}
	if (optind != argc - 1)
		return kerr_set(err, 0, "delete: expected exactly one container ID");
	if ((r = state_read(g->root, argv[optind], &s, err)) < 0) {
		if (!force || !strstr(err->msg, "does not exist"))
			return r;
		/* runc: a missing container is fine with --force; a create
		 * killed before its first state.json left at most the empty
		 * state dir (nothing else is made before that write). */
		(void)state_dir_remove(g->root, argv[optind], &(struct kerr){0});
		return 0;
	}
	if (state_status(g->root, &s) != ST_STOPPED && !force)
		return kerr_set(err, 0,
				"cannot delete container \"%s\" that is not stopped: use --force",
				s.id);
	/* Stopped or not: what is left in its cgroup (a create that was
	 * killed, children of an init that died) goes too. */
	if (force && (r = kill_wait(s.cgroup, s.pid, s.start_time, err)) < 0)
		return r;
	if ((r = cgroup_remove(s.cgroup, err)) < 0)
		return r;
	hooks_run_after(&s, HOOK_POSTSTOP, "stopped");
	return state_dir_remove(g->root, s.id, err);
}
