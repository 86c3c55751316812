/* cgroup v2 only. The container's cgroup is linux.cgroupsPath, or
 * "keel/<ID>" below the cgroup2 root when unset; on a hybrid host the v2
 * tree beside the v1 controllers (no limits there, but the device program
 * and cgroup.kill). */
#ifndef SHIM_CGROUPS_H
#define SHIM_CGROUPS_H

#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#define CGROUP_ROOT	   "/sys/fs/cgroup"
#define CGROUP_HYBRID_ROOT "/sys/fs/cgroup/unified"

struct cgroup {
	char path[PATH_MAX]; /* absolute; "" when running without a cgroup */
	const char *rel;     /* path below the cgroup2 root, within path */
	bool hybrid;	     /* the v2 tree of a hybrid host: no limits */
};

/* Decides the cgroup's path (nothing is created yet). Without usable
 * cgroup v2 it leaves cg->path empty and warns once (a marker under
 * state_root) — or fails when the config asks for limits. */
int cgroup_locate(const struct config *c, const char *id, const char *state_root,
		  struct cgroup *cg, struct kerr *err);
/* Creates it, writes the limits, attaches the device program. */
int cgroup_prepare(const struct config *c, struct cgroup *cg, struct kerr *err);
int cgroup_enter(const struct cgroup *cg, pid_t pid, struct kerr *err);
/* Kills everything in it (cgroup.kill, else each pid in cgroup.procs). */
int cgroup_kill_all(const char *path, int sig);
/* rmdir, retried briefly while the last tasks exit; ENOENT is fine. */
int cgroup_remove(const char *path, struct kerr *err);
/* Writes the limits set in res (pause/update use it on a live cgroup). */
int cgroup_apply_limits(const struct cfg_resources *res, const char *dir, struct kerr *err);
/* cgroup.freeze, then waits until cgroup.events confirms it. */
int cgroup_freeze(const char *path, bool frozen, struct kerr *err);
/* Reads cgroup.procs into pids (at most max); returns the count or -errno. */
int cgroup_pids(const char *path, pid_t *pids, size_t max);

#endif
