/* Delegation of a container's cgroup to the container's own root, as runc
 * and crun do: when the container has its own user and cgroup namespaces
 * and mounts cgroup2 read-write, its cgroup directory and the files the
 * kernel lists in /sys/kernel/cgroup/delegate are chowned to the host uid
 * and gid its root maps to. A nested runtime in it (containerd + runc-shim)
 * can then make child cgroups with limits, and nothing above its own. */
#include "cgroups.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* The kernel's list when it has none to say (before 6.0). */
static const char fallback_files[] = "cgroup.procs\ncgroup.threads\ncgroup.subtree_control\n";

/* The host id container id 0 maps to, or -1 when it is not mapped. */
static long long root_host_id(const struct cfg_idmap *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].container == 0 && m[i].size > 0)
			return m[i].host;
	return -1;
}

/* A fresh user and cgroup namespace and a cgroup2 mount without "ro". */
static bool wants_delegation(const struct config *c)
{
	const struct cfg_ns *user = config_ns(c, CLONE_NEWUSER);
	const struct cfg_ns *cgns = config_ns(c, CLONE_NEWCGROUP);

	if (!user || user->path || !cgns || cgns->path)
		return false;
	for (size_t i = 0; i < c->n_mounts; i++) {
		const struct cfg_mount *m = &c->mounts[i];
		if (!m->bind && (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0))
			return !(m->flags & MS_RDONLY);
	}
	return false;
}

int cgroup_delegate(const struct config *c, const char *dir, struct kerr *err)
{
	long long uid = root_host_id(c->uid_map, c->n_uid_map);
	long long gid = root_host_id(c->gid_map, c->n_gid_map);
	char files[512], path[PATH_MAX];
	autoclose int dfd = -1;

	if (!dir[0] || cgroup_is_v1(dir) || !wants_delegation(c) || uid < 0 || gid < 0)
		return 0;
	if (read_file("/sys/kernel/cgroup/delegate", files, sizeof(files)) < 0)
		snprintf(files, sizeof(files), "%s", fallback_files);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fchown(dfd, (uid_t)uid, (gid_t)gid) < 0)
		return kerr_set(err, errno, "unable to delegate cgroup %s to its root", dir);
	for (char *save = NULL, *f = strtok_r(files, "\n", &save); f;
	     f = strtok_r(NULL, "\n", &save)) {
		/* memory.* is absent without the controller: nothing to hand over. */
		if (fchownat(dfd, f, (uid_t)uid, (gid_t)gid, AT_SYMLINK_NOFOLLOW) < 0 &&
		    errno != ENOENT) {
			snprintf(path, sizeof(path), "%s/%s", dir, f);
			return kerr_set(err, errno, "unable to delegate %s to the container's root",
					path);
		}
	}
	return 0;
}
