/* cgroup v2, with a v1 fallback (cgroups_v1.c) for limits on a host whose
 * controllers all sit on v1 hierarchies. The container's cgroup is
 * linux.cgroupsPath, or "keel/<ID>" below the root when unset; on a hybrid
 * host without limits the v2 tree beside the v1 controllers (the device
 * program and cgroup.kill); a v1 one is recorded as "v1:REL". */
#ifndef SHIM_CGROUPS_H
#define SHIM_CGROUPS_H

#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#define CGROUP_ROOT	   "/sys/fs/cgroup"
#define CGROUP_HYBRID_ROOT "/sys/fs/cgroup/unified"
#define CGROUP_V1_PREFIX   "v1:"

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
/* cgroup_enter for an exec'd process: when the container's cgroup takes no
 * process (EBUSY: it delegates controllers to children), init's cgroup. */
int cgroup_enter_exec(const struct cgroup *cg, pid_t init, pid_t pid, struct kerr *err);
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

/* With its own user and cgroup namespaces and a read-write cgroup2 mount,
 * the container's root gets its cgroup (cgroup_delegate.c). */
int cgroup_delegate(const struct config *c, const char *dir, struct kerr *err);

/* rmdir of one directory, retried briefly while the last tasks exit. */
int cgroup_remove_dir(const char *dir, struct kerr *err);

/* cgroups_v1.c */
bool cgroup_v1_usable(void);
/* The v1 fallback for this config: limits, or device rules and a v1
 * devices controller. */
bool cgroup_v1_wanted(const struct config *c);
bool cgroup_is_v1(const char *path);
/* The v2 directory (v1: the same path in the hybrid v2 tree, which a v1
 * container joins too): cgroup.freeze lives there. Inline: state.c needs
 * it without the rest of the cgroup code. */
static inline const char *cgroup_v2_dir(const char *path, char buf[PATH_MAX])
{
	if (strncmp(path, CGROUP_V1_PREFIX, strlen(CGROUP_V1_PREFIX)) != 0)
		return path;
	snprintf(buf, PATH_MAX, "%s/%s", CGROUP_HYBRID_ROOT, path + strlen(CGROUP_V1_PREFIX));
	return buf;
}
/* The directory whose cgroup.procs lists the tasks (v1: the pids one). */
const char *cgroup_tasks_dir(const char *path, char buf[PATH_MAX]);
/* Writes the limits set in res to the v1 files of the cgroup REL. */
int cgroup_v1_apply(const struct cfg_resources *res, const char *rel, struct kerr *err);
int cgroup_v1_prepare(const struct cfg_resources *res, const char *rel, struct cgroup *cg,
		      struct kerr *err);
/* linux.resources.devices on the v1 devices controller, where v1 can say
 * it exactly (see cgroups_v1.c); after cgroup_v1_prepare. */
int cgroup_v1_devices(const struct config *c, const char *rel, struct kerr *err);
int cgroup_v1_enter(const char *path, pid_t pid, struct kerr *err);
int cgroup_v1_remove(const char *path, struct kerr *err);

#endif
