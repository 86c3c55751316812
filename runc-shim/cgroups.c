/* See cgroups.h. Limits are translated from the OCI (v1-shaped) fields to
 * v2 files the way runc and crun do (shares → cpu.weight, swap is
 * memory+swap). A requested limit whose controller is missing is an error,
 * never a silent no-op. linux.resources.devices is bpf_devices.c's. */
#include "cgroups.h"
#include "bpf_devices.h"
#include "io.h"
#include "log.h"
#include "parse.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#define CGROUP_MAX_DEPTH 32 /* how deep a delegated subtree we remove */

static int cgroup_remove_tree(const char *path, int depth, struct kerr *err);

/* A writable cgroup2 mount at dir. */
static bool cgroup2_usable(const char *dir)
{
	char file[PATH_MAX];
	struct statfs sf;

	if (statfs(dir, &sf) < 0 || sf.f_type != CGROUP2_SUPER_MAGIC)
		return false;
	/* A cgroup2 root we cannot write to is as good as none. */
	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	return access(file, W_OK) == 0;
}

/* The cgroup v2 root: the unified one, or on a hybrid host (v1
 * controllers, v2 beside them without any) the v2 tree there. The latter
 * still gives the container a cgroup for the device program and
 * cgroup.kill, but no limits. */
static const char *cgroup2_root(bool *hybrid)
{
	*hybrid = false;
	if (cgroup2_usable(CGROUP_ROOT))
		return CGROUP_ROOT;
	*hybrid = true;
	return cgroup2_usable(CGROUP_HYBRID_ROOT) ? CGROUP_HYBRID_ROOT : NULL;
}

static void warn_once(const char *state_root)
{
	char marker[PATH_MAX];
	int fd;

	snprintf(marker, sizeof(marker), "%s/.no-cgroup2-warned", state_root);
	fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return; /* already said (or the root is unwritable: stay quiet) */
	close(fd);
	log_warn("no writable cgroup v2 hierarchy at %s: running containers without "
		 "resource limits",
		 CGROUP_ROOT);
}

/* Enables every available controller keel limits in dir's subtree_control. */
static void enable_in(const char *dir)
{
	static const char *const ctrls[] = {"cpu", "memory", "pids", "io", "cpuset"};
	char file[PATH_MAX + 32], avail[512], op[16];

	snprintf(file, sizeof(file), "%s/cgroup.controllers", dir);
	if (read_file(file, avail, sizeof(avail)) < 0)
		return;
	snprintf(file, sizeof(file), "%s/cgroup.subtree_control", dir);
	for (size_t i = 0; i < sizeof(ctrls) / sizeof(ctrls[0]); i++) {
		if (!strstr(avail, ctrls[i]))
			continue;
		snprintf(op, sizeof(op), "+%s", ctrls[i]);
		(void)write_file(file, op); /* a missing one shows when its limit is written */
	}
}

/* mkdir -p of the path below the root, enabling controllers from the top
 * down (a cgroup only gets the controllers its parent delegates). */
static int make_path(const struct cgroup *cg, struct kerr *err)
{
	size_t prev = (size_t)(cg->rel - cg->path) - 1; /* the root itself */
	char dir[PATH_MAX];

	for (size_t i = prev + 2;; i++) {
		if (cg->path[i] != '/' && cg->path[i] != '\0')
			continue;
		memcpy(dir, cg->path, prev);
		dir[prev] = '\0';
		enable_in(dir);
		memcpy(dir, cg->path, i);
		dir[i] = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return kerr_set(err, errno, "linux.cgroupsPath: unable to create %s", dir);
		if (!cg->path[i])
			return 0;
		prev = i;
	}
}

struct limit_file {
	const char *file, *field;
	char value[64];
};

/* OCI cpu.shares [2, 262144] → cgroup v2 cpu.weight [1, 10000]. */
static int64_t shares_to_weight(int64_t shares)
{
	return shares < 2 ? 1 : 1 + ((shares - 2) * 9999) / 262142;
}

static void fmt_max(char out[24], int64_t v)
{
	if (v < 0)
		snprintf(out, 24, "max");
	else
		snprintf(out, 24, "%lld", (long long)v);
}

static size_t limit_files(const struct cfg_resources *r, struct limit_file *f)
{
	size_t n = 0;

	if (r->mem_limit >= 0 || (r->mem_limit < 0 && r->mem_swap >= 0)) {
		f[n] = (struct limit_file){"memory.max", "memory.limit", ""};
		fmt_max(f[n++].value, r->mem_limit);
	}
	if (r->mem_swap >= 0 && r->mem_limit >= 0) {
		/* OCI swap is memory+swap; v2 counts swap alone. */
		f[n] = (struct limit_file){"memory.swap.max", "memory.swap", ""};
		fmt_max(f[n++].value,
			r->mem_swap - r->mem_limit < 0 ? 0 : r->mem_swap - r->mem_limit);
	}
	if (r->mem_reservation > 0) {
		f[n] = (struct limit_file){"memory.low", "memory.reservation", ""};
		fmt_max(f[n++].value, r->mem_reservation);
	}
	if (r->pids_limit >= 0) {
		f[n] = (struct limit_file){"pids.max", "pids.limit", ""};
		fmt_max(f[n++].value, r->pids_limit > 0 ? r->pids_limit : -1);
	}
	if (r->cpu_shares > 0) {
		f[n] = (struct limit_file){"cpu.weight", "cpu.shares", ""};
		fmt_max(f[n++].value, shares_to_weight(r->cpu_shares));
	}
	if (r->cpu_quota > 0) {
		f[n] = (struct limit_file){"cpu.max", "cpu.quota", ""};
		char q[24];
		fmt_max(q, r->cpu_quota);
		snprintf(f[n++].value, 64, "%s %lld", q,
			 (long long)(r->cpu_period > 0 ? r->cpu_period : 100000));
	}
	if (r->io_weight > 0) {
		f[n] = (struct limit_file){"io.weight", "blockIO.weight", ""};
		snprintf(f[n++].value, 64, "default %lld", (long long)r->io_weight);
	}
	return n;
}

static int write_limit(const char *dir, const char *file, const char *value, const char *field,
		       struct kerr *err)
{
	char path[PATH_MAX];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((r = write_file(path, value)) < 0)
		return kerr_set(err, -r, "linux.resources.%s: unable to write \"%s\" to %s", field,
				value, path);
	return 0;
}

int cgroup_apply_limits(const struct cfg_resources *res, const char *dir, struct kerr *err)
{
	struct limit_file f[8];
	size_t n = limit_files(res, f);
	int r;

	if (cgroup_is_v1(dir))
		return cgroup_v1_apply(res, dir + strlen(CGROUP_V1_PREFIX), err);
	if (res->mem_kernel_tcp > 0 || res->mem_swappiness >= 0 || res->mem_oom_disable)
		return kerr_set(err, 0,
				"linux.resources.memory: kernelTCP, swappiness and "
				"disableOOMKiller need cgroup v1 (runc-shim's cgroup is v2)");
	for (size_t i = 0; i < n; i++)
		if ((r = write_limit(dir, f[i].file, f[i].value, f[i].field, err)) < 0)
			return r;
	if (res->cpuset_cpus && *res->cpuset_cpus &&
	    (r = write_limit(dir, "cpuset.cpus", res->cpuset_cpus, "cpu.cpus", err)) < 0)
		return r;
	if (res->cpuset_mems && *res->cpuset_mems &&
	    (r = write_limit(dir, "cpuset.mems", res->cpuset_mems, "cpu.mems", err)) < 0)
		return r;
	for (size_t i = 0; i < res->n_unified; i++)
		if ((r = write_limit(dir, res->unified[i].key, res->unified[i].value, "unified",
				     err)) < 0)
			return r;
	return 0;
}

/* The relative path of the container's cgroup into rel. */
static int cgroup_rel_path(const struct config *c, const char *id, char rel[PATH_MAX],
			   struct kerr *err)
{
	if (c->cgroups_path && strchr(c->cgroups_path, ':'))
		return kerr_set(
		    err, 0, "linux.cgroupsPath: systemd slice:prefix:name form is not supported");
	if (c->cgroups_path)
		snprintf(rel, PATH_MAX, "%s", c->cgroups_path + strspn(c->cgroups_path, "/"));
	else
		snprintf(rel, PATH_MAX, "keel/%s", id);
	if (!*rel)
		return kerr_set(err, 0, "linux.cgroupsPath: must not be the root cgroup");
	return 0;
}

static int no_limits_here(const struct config *c, const char *state_root, struct kerr *err)
{
	if (c->res.any)
		return kerr_set(err, 0,
				"linux.resources: limits need a writable cgroup v2 "
				"hierarchy at %s, and this host has none",
				CGROUP_ROOT);
	warn_once(state_root);
	return 0;
}

int cgroup_locate(const struct config *c, const char *id, const char *state_root,
		  struct cgroup *cg, struct kerr *err)
{
	char rel[PATH_MAX];
	const char *root = cgroup2_root(&cg->hybrid);
	int r;

	cg->path[0] = '\0';
	/* Limits on a host whose controllers all sit on v1: the v1 fallback. */
	if ((!root || cg->hybrid) && cgroup_v1_wanted(c)) {
		if ((r = cgroup_rel_path(c, id, rel, err)) < 0)
			return r;
		snprintf(cg->path, sizeof(cg->path), "%s%.*s", CGROUP_V1_PREFIX, PATH_MAX - 32, rel);
		cg->rel = cg->path + strlen(CGROUP_V1_PREFIX);
		return 0;
	}
	if ((!root || cg->hybrid) && (r = no_limits_here(c, state_root, err)) < 0)
		return r;
	if (!root)
		return 0;
	if ((r = cgroup_rel_path(c, id, rel, err)) < 0)
		return r;
	if (strlen(root) + 1 + strlen(rel) >= sizeof(cg->path))
		return kerr_set(err, ENAMETOOLONG, "linux.cgroupsPath");
	snprintf(cg->path, sizeof(cg->path), "%s/%.*s", root, PATH_MAX - 32, rel);
	cg->rel = cg->path + strlen(root) + 1;
	return 0;
}

/* The v1 hierarchies take the limits; the device program goes on the same
 * path in the hybrid v2 tree, which cgroup_v1_prepare also makes. */
static int v1_prepare(const struct config *c, struct cgroup *cg, struct kerr *err)
{
	char rel[PATH_MAX], v2[PATH_MAX + 32];
	int r;

	snprintf(rel, sizeof(rel), "%s", cg->rel);
	if ((r = cgroup_v1_prepare(&c->res, rel, cg, err)) < 0)
		return r;
	cg->rel = cg->path + strlen(CGROUP_V1_PREFIX);
	snprintf(v2, sizeof(v2), "%s/%s", CGROUP_HYBRID_ROOT, rel);
	if ((r = cgroup_v1_devices(c, rel, err)) < 0 ||
	    (r = bpf_devices_apply(access(v2, F_OK) == 0 ? v2 : "", c, err)) < 0) {
		(void)cgroup_remove(cg->path, &(struct kerr){0});
		cg->path[0] = '\0';
	}
	return r;
}

int cgroup_prepare(const struct config *c, struct cgroup *cg, struct kerr *err)
{
	int r;

	if (!cg->path[0])
		return bpf_devices_apply("", c, err);
	if (cgroup_is_v1(cg->path))
		return v1_prepare(c, cg, err);
	if ((r = make_path(cg, err)) < 0)
		return r;
	if ((cg->hybrid || (r = cgroup_apply_limits(&c->res, cg->path, err)) == 0) &&
	    (r = bpf_devices_apply(cg->path, c, err)) == 0 &&
	    (r = cgroup_delegate(c, cg->path, err)) == 0)
		return 0;
	(void)rmdir(cg->path);
	return r;
}

int cgroup_enter(const struct cgroup *cg, pid_t pid, struct kerr *err)
{
	char v[16];

	if (!cg->path[0])
		return 0;
	if (cgroup_is_v1(cg->path))
		return cgroup_v1_enter(cg->path, pid, err);
	snprintf(v, sizeof(v), "%d", (int)pid);
	return write_limit(cg->path, "cgroup.procs", v, "cgroupsPath", err);
}

/* The v2 cgroup the process init sits in, as a path under the root. */
static int init_cgroup(const char *container_cg, pid_t init, char out[PATH_MAX])
{
	bool hybrid = strncmp(container_cg, CGROUP_HYBRID_ROOT, strlen(CGROUP_HYBRID_ROOT)) == 0;
	const char *root = hybrid ? CGROUP_HYBRID_ROOT : CGROUP_ROOT;
	char file[64], line[PATH_MAX];
	ssize_t n;

	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)init);
	if ((n = read_file(file, line, sizeof(line))) < 0)
		return (int)n;
	/* cgroup v2's line is "0::/PATH"; on a hybrid host it is one of many. */
	char *v2 = strstr(line, "0::/");
	if (!v2 || (v2 != line && v2[-1] != '\n'))
		return -ENOENT;
	v2[strcspn(v2, "\n")] = '\0';
	if (strlen(root) + strlen(v2 + 3) >= PATH_MAX)
		return -ENAMETOOLONG;
	snprintf(out, PATH_MAX, "%s%s", root, v2 + 3);
	return 0;
}

int cgroup_enter_exec(const struct cgroup *cg, pid_t init, pid_t pid, struct kerr *err)
{
	struct cgroup at_init = *cg;
	int r = cgroup_enter(cg, pid, err);

	/* A delegated cgroup whose runtime enabled controllers for children
	 * takes no process any more (cgroup v2's no internal processes): go
	 * where the container's init went, as runc exec does. */
	if (r != -EBUSY || cgroup_is_v1(cg->path) || init_cgroup(cg->path, init, at_init.path) < 0)
		return r;
	*err = (struct kerr){0};
	return cgroup_enter(&at_init, pid, err);
}

int cgroup_pids(const char *path, pid_t *pids, size_t max)
{
	char file[PATH_MAX], buf[PATH_MAX];
	autofree char *text = NULL;
	size_t n = 0;

	snprintf(file, sizeof(file), "%s/cgroup.procs", cgroup_tasks_dir(path, buf));
	if (read_file_alloc(file, 1 << 22, &text) < 0)
		return -errno;
	for (char *line = strtok(text, "\n"); line && n < max; line = strtok(NULL, "\n")) {
		long pid;
		if (parse_long(line, 1, INT32_MAX, &pid) == 0)
			pids[n++] = (pid_t)pid;
	}
	return (int)n;
}

int cgroup_kill_all(const char *path, int sig)
{
	char file[PATH_MAX];
	pid_t pids[4096];
	int n;

	snprintf(file, sizeof(file), "%s/cgroup.kill", path);
	if (sig == SIGKILL && !cgroup_is_v1(path) && write_file(file, "1") == 0)
		return 0;
	if ((n = cgroup_pids(path, pids, sizeof(pids) / sizeof(pids[0]))) < 0)
		return n;
	for (int i = 0; i < n; i++)
		(void)kill(pids[i], sig); /* a task may exit meanwhile */
	return 0;
}

int cgroup_remove(const char *path, struct kerr *err)
{
	if (!path[0])
		return 0;
	return cgroup_is_v1(path) ? cgroup_v1_remove(path, err) : cgroup_remove_dir(path, err);
}

/* A delegated cgroup may hold the child cgroups its nested runtime made:
 * rmdir refuses a cgroup with children, so they go first, deepest first
 * (their tasks are gone: cgroup.kill is recursive). */
static int remove_children(const char *path, int depth, struct kerr *err)
{
	char child[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int r = 0;

	if (depth > CGROUP_MAX_DEPTH)
		return kerr_set(err, ELOOP, "cgroup %s: nested too deep to remove", path);
	if (!(d = opendir(path)))
		return errno == ENOENT ? 0 : kerr_set(err, errno, "unable to list cgroup %s", path);
	while (r == 0 && (e = readdir(d)) != NULL) {
		if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((size_t)snprintf(child, sizeof(child), "%s/%s", path, e->d_name) >=
		    sizeof(child))
			r = kerr_set(err, ENAMETOOLONG, "cgroup %s/%s", path, e->d_name);
		else
			r = cgroup_remove_tree(child, depth + 1, err);
	}
	closedir(d);
	return r;
}

int cgroup_remove_dir(const char *path, struct kerr *err)
{
	return cgroup_remove_tree(path, 0, err);
}

static int cgroup_remove_tree(const char *path, int depth, struct kerr *err)
{
	struct timespec ts = {0, 10 * 1000 * 1000};
	int r;

	if ((r = remove_children(path, depth, err)) < 0)
		return r;
	for (int i = 0; i < 100; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		nanosleep(&ts, NULL); /* the last tasks are still exiting */
	}
	return kerr_set(err, errno, "unable to remove cgroup %s", path);
}

/* cgroup.freeze is asynchronous: the cgroup is frozen once cgroup.events
 * says "frozen 1" (each task stops at its next return to user space). */
int cgroup_freeze(const char *path, bool frozen, struct kerr *err)
{
	struct timespec ts = {0, 5 * 1000 * 1000};
	char file[PATH_MAX + 16], ev[512], want[16], v2[PATH_MAX];
	int r;

	if (!path[0])
		return kerr_set(err, ENOTSUP, "the container has no cgroup (no cgroup v2 here)");
	path = cgroup_v2_dir(path, v2);
	if ((r = write_limit(path, "cgroup.freeze", frozen ? "1" : "0", "freezer", err)) < 0)
		return r;
	snprintf(file, sizeof(file), "%s/cgroup.events", path);
	snprintf(want, sizeof(want), "frozen %d", frozen);
	for (int i = 0; i < 2000; i++) { /* ~10 s */
		if ((r = (int)read_file(file, ev, sizeof(ev))) < 0)
			return kerr_set(err, -r, "unable to read %s", file);
		if (strstr(ev, want))
			return 0;
		nanosleep(&ts, NULL);
	}
	return kerr_set(err, ETIMEDOUT, "%s: still not \"%s\"", file, want);
}
