/* cgroup v1, for a host whose controllers all sit on v1 hierarchies (Debian
 * 12's hybrid layout gives cgroup v2 none): the container's cgroup is the
 * same relative path in the pids, cpu, cpuset, memory and devices
 * hierarchies, and its state string is "v1:REL". Limits map onto the v1
 * files as runc's fs driver writes them; a limit whose controller is
 * missing is an error. Device rules go to devices.deny/allow where v1 can
 * express them exactly (the BPF program on the v2 tree enforces them all). */
#include "cgroups.h"
#include "bpf_devices.h"
#include "io.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define V1_PREFIX CGROUP_V1_PREFIX

/* "unified": the hybrid host's v2 tree, joined too for the device program
 * (bpf_devices.c) and cgroup.kill; it holds no limits. */
enum { V1_PIDS, V1_CPU, V1_CPUSET, V1_MEMORY, V1_DEVICES, V1_UNIFIED, V1_N };
static const char *const v1_ctrls[V1_N] = {"pids",   "cpu",	"cpuset",
					   "memory", "devices", "unified"};

static bool v1_mounted(int ctrl)
{
	char dir[64];
	struct statfs sf;

	snprintf(dir, sizeof(dir), "%s/%s", CGROUP_ROOT, v1_ctrls[ctrl]);
	unsigned long magic = ctrl == V1_UNIFIED ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC;

	return statfs(dir, &sf) == 0 && (unsigned long)sf.f_type == magic && access(dir, W_OK) == 0;
}

bool cgroup_v1_usable(void)
{
	return v1_mounted(V1_PIDS); /* what kill and delete find the tasks by */
}

bool cgroup_v1_wanted(const struct config *c)
{
	return cgroup_v1_usable() &&
	       (c->res.any || (c->res.n_dev_rules && v1_mounted(V1_DEVICES)));
}

bool cgroup_is_v1(const char *path)
{
	return strncmp(path, V1_PREFIX, strlen(V1_PREFIX)) == 0;
}

static void v1_dir(char out[PATH_MAX], int ctrl, const char *rel)
{
	snprintf(out, PATH_MAX, "%s/%s/%s", CGROUP_ROOT, v1_ctrls[ctrl], rel);
}

const char *cgroup_tasks_dir(const char *path, char buf[PATH_MAX])
{
	if (!cgroup_is_v1(path))
		return path;
	v1_dir(buf, V1_PIDS, path + strlen(V1_PREFIX));
	return buf;
}

/* A new cpuset cgroup starts with no cpus or mems: no task could join it. */
static void cpuset_inherit(const char *dir)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
	char parent[PATH_MAX], file[PATH_MAX + 16], value[256];

	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	for (size_t i = 0; i < 2; i++) {
		snprintf(file, sizeof(file), "%s/%s", parent, files[i]);
		if (read_file(file, value, sizeof(value)) < 0)
			continue;
		value[strcspn(value, "\n")] = '\0';
		snprintf(file, sizeof(file), "%s/%s", dir, files[i]);
		(void)write_file(file, value); /* a failure shows when the task joins */
	}
}

static int v1_mkdir(int ctrl, const char *rel, struct kerr *err)
{
	char dir[PATH_MAX];
	size_t len = strlen(rel);

	for (size_t i = 1; i <= len; i++) {
		if (rel[i] != '/' && rel[i] != '\0')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s/%.*s", CGROUP_ROOT, v1_ctrls[ctrl], (int)i, rel);
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return kerr_set(err, errno, "linux.cgroupsPath: unable to create %s", dir);
		if (ctrl == V1_CPUSET)
			cpuset_inherit(dir);
	}
	return 0;
}

/* Integer limits (> 0 means set) and their v1 files, as runc's fs driver. */
static const struct {
	int ctrl;
	const char *file, *field;
	size_t off;
} v1_files[] = {
    {V1_PIDS, "pids.max", "pids.limit", offsetof(struct cfg_resources, pids_limit)},
    {V1_CPU, "cpu.shares", "cpu.shares", offsetof(struct cfg_resources, cpu_shares)},
    {V1_CPU, "cpu.cfs_period_us", "cpu.period", offsetof(struct cfg_resources, cpu_period)},
    {V1_CPU, "cpu.cfs_quota_us", "cpu.quota", offsetof(struct cfg_resources, cpu_quota)},
    {V1_MEMORY, "memory.limit_in_bytes", "memory.limit", offsetof(struct cfg_resources, mem_limit)},
    {V1_MEMORY, "memory.soft_limit_in_bytes", "memory.reservation",
     offsetof(struct cfg_resources, mem_reservation)},
    /* v1's memsw is memory+swap, as OCI's swap */
    {V1_MEMORY, "memory.memsw.limit_in_bytes", "memory.swap",
     offsetof(struct cfg_resources, mem_swap)},
    {V1_MEMORY, "memory.kmem.tcp.limit_in_bytes", "memory.kernelTCP",
     offsetof(struct cfg_resources, mem_kernel_tcp)},
};

static int v1_write(int ctrl, const char *rel, const char *file, const char *field,
		    const char *value, struct kerr *err)
{
	char path[PATH_MAX + 64];
	int r;

	if (!v1_mounted(ctrl))
		return kerr_set(err, 0, "linux.resources.%s: no %s cgroup on this host", field,
				v1_ctrls[ctrl]);
	snprintf(path, sizeof(path), "%s/%s/%s/%s", CGROUP_ROOT, v1_ctrls[ctrl], rel, file);
	if ((r = write_file(path, value)) < 0)
		return kerr_set(err, -r, "linux.resources.%s: unable to write \"%s\" to %s", field,
				value, path);
	return 0;
}

int cgroup_v1_apply(const struct cfg_resources *res, const char *rel, struct kerr *err)
{
	char value[24];
	int r;

	if (res->n_unified)
		return kerr_set(err, 0, "linux.resources.unified: needs cgroup v2");
	/* cpuset first: cpu.cfs_* and tasks do not care, but a bad list should
	 * fail before anything else is written. */
	if (res->cpuset_cpus && *res->cpuset_cpus &&
	    (r = v1_write(V1_CPUSET, rel, "cpuset.cpus", "cpu.cpus", res->cpuset_cpus, err)) < 0)
		return r;
	if (res->cpuset_mems && *res->cpuset_mems &&
	    (r = v1_write(V1_CPUSET, rel, "cpuset.mems", "cpu.mems", res->cpuset_mems, err)) < 0)
		return r;
	if (res->mem_swappiness >= 0) {
		snprintf(value, sizeof(value), "%lld", (long long)res->mem_swappiness);
		if ((r = v1_write(V1_MEMORY, rel, "memory.swappiness", "memory.swappiness", value,
				  err)) < 0)
			return r;
	}
	if (res->mem_oom_disable && (r = v1_write(V1_MEMORY, rel, "memory.oom_control",
						  "memory.disableOOMKiller", "1", err)) < 0)
		return r;
	for (size_t i = 0; i < sizeof(v1_files) / sizeof(v1_files[0]); i++) {
		int64_t v;
		memcpy(&v, (const char *)res + v1_files[i].off, sizeof(v));
		if (v <= 0)
			continue;
		snprintf(value, sizeof(value), "%lld", (long long)v);
		if ((r = v1_write(v1_files[i].ctrl, rel, v1_files[i].file, v1_files[i].field, value,
				  err)) < 0)
			return r;
	}
	return 0;
}

int cgroup_v1_prepare(const struct cfg_resources *res, const char *rel, struct cgroup *cg,
		      struct kerr *err)
{
	int r = 0;

	for (int i = 0; i < V1_N && r == 0; i++)
		if (v1_mounted(i))
			r = v1_mkdir(i, rel, err);
	if (r == 0)
		snprintf(cg->path, sizeof(cg->path), V1_PREFIX "%s", rel);
	if (r == 0 && (r = cgroup_v1_apply(res, rel, err)) < 0)
		(void)cgroup_remove(cg->path, &(struct kerr){0});
	if (r < 0)
		cg->path[0] = '\0';
	return r;
}

/* v1 keeps a default (allow or deny) and a list of exceptions; a deny
 * cannot carve a hole in an allowed wildcard. So only "deny everything,
 * then allow ..." (Docker's, Podman's, containerd's shape) is written. */
static bool v1_devices_exact(const struct cfg_resources *res)
{
	const struct cfg_dev_rule *d = res->dev_rules;

	if (!res->n_dev_rules || d[0].allow || d[0].type != 'a' || d[0].major >= 0 ||
	    d[0].minor >= 0 || d[0].access != CFG_DEV_ALL)
		return false;
	for (size_t i = 1; i < res->n_dev_rules; i++)
		if (!d[i].allow)
			return false;
	return true;
}

/* "T MAJ:MIN ACC"; v1 reads type "a" as everything whatever follows, so
 * a partial "a" rule is written for "c" and "b". */
static int v1_device_allow(const char *rel, const struct cfg_dev_rule *d, struct kerr *err)
{
	const char types[3] = {d->type == 'a' ? 'c' : d->type, d->type == 'a' ? 'b' : '\0', '\0'};
	char value[64], maj[24] = "*", min[24] = "*", acc[4], *a = acc;
	int r = 0;

	if (d->major >= 0)
		snprintf(maj, sizeof(maj), "%lld", (long long)d->major);
	if (d->minor >= 0)
		snprintf(min, sizeof(min), "%lld", (long long)d->minor);
	if (d->access & CFG_DEV_READ)
		*a++ = 'r';
	if (d->access & CFG_DEV_WRITE)
		*a++ = 'w';
	if (d->access & CFG_DEV_MKNOD)
		*a++ = 'm';
	*a = '\0';
	for (const char *t = types; *t && r == 0; t++) {
		snprintf(value, sizeof(value), "%c %s:%s %s", *t, maj, min, acc);
		r = v1_write(V1_DEVICES, rel, "devices.allow", "devices", value, err);
	}
	return r;
}

int cgroup_v1_devices(const struct config *c, const char *rel, struct kerr *err)
{
	const struct cfg_resources *res = &c->res;
	int r;

	if (!v1_mounted(V1_DEVICES) || !v1_devices_exact(res))
		return 0;
	if ((r = v1_write(V1_DEVICES, rel, "devices.deny", "devices", "a", err)) < 0)
		return r;
	/* The config's allows in order (devices.list shows them so), then
	 * what the BPF program always allows. */
	for (size_t i = 1; i < res->n_dev_rules && r == 0; i++)
		r = v1_device_allow(rel, &res->dev_rules[i], err);
	for (size_t i = 0; i < DEVICES_N_ALWAYS_ALLOWED && r == 0; i++)
		r = v1_device_allow(rel, &devices_always_allowed[i], err);
	for (size_t i = 0; i < c->n_devices && r == 0; i++) {
		const struct cfg_device *d = &c->devices[i];
		struct cfg_dev_rule node = {true, d->type, CFG_DEV_ALL, d->major, d->minor};
		if (d->type != 'p')
			r = v1_device_allow(rel, &node, err);
	}
	return r;
}

int cgroup_v1_enter(const char *path, pid_t pid, struct kerr *err)
{
	char dir[PATH_MAX], file[PATH_MAX + 16], v[16];
	int r;

	snprintf(v, sizeof(v), "%d", (int)pid);
	for (int i = 0; i < V1_N; i++) {
		v1_dir(dir, i, path + strlen(V1_PREFIX));
		if (access(dir, F_OK) < 0)
			continue; /* not mounted when the cgroup was made */
		snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
		if ((r = write_file(file, v)) < 0)
			return kerr_set(err, -r, "linux.cgroupsPath: unable to join %s", dir);
	}
	return 0;
}

int cgroup_v1_remove(const char *path, struct kerr *err)
{
	char dir[PATH_MAX];
	int r = 0;

	for (int i = 0; i < V1_N; i++) {
		v1_dir(dir, i, path + strlen(V1_PREFIX));
		if (cgroup_remove_dir(dir, err) < 0)
			r = -1; /* try the others, report the last */
	}
	return r;
}
