/* config.json "linux.resources": the cgroup limits keel applies (memory,
 * pids, cpu, cpuset, io weight, unified; kernelTCP, swappiness and
 * disableOOMKiller on cgroup v1 only). Anything else that would limit the
 * container is rejected rather than silently dropped. */
#include "config_parts.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

void config_resources_init(struct cfg_resources *r)
{
	r->mem_limit = r->mem_swap = r->mem_reservation = r->pids_limit = -1;
	r->cpu_shares = r->cpu_quota = r->cpu_period = r->io_weight = -1;
	r->mem_kernel_tcp = r->mem_swappiness = -1;
}

/* Integer fields by "section.key"; 0, -1 or null mean unset/unlimited.
 * Weights and protections (shares, io weight, reservation) are not limits:
 * without a cgroup they are dropped with the once-only notice, while a
 * limit makes create fail (containerd always sends cpu.shares 1024). */
static const struct {
	const char *key;
	size_t off;
	int64_t min, max;
	bool limits, zero_unset; /* zero_unset: 0 means "not set", as in runc */
} limits[] = {
    {"memory.limit", offsetof(struct cfg_resources, mem_limit), -1, INT64_MAX, true, true},
    {"memory.swap", offsetof(struct cfg_resources, mem_swap), -1, INT64_MAX, true, true},
    {"memory.reservation", offsetof(struct cfg_resources, mem_reservation), -1, INT64_MAX, false,
     true},
    /* v1 only (cgroups_v1.c); a v2 cgroup refuses them */
    {"memory.kernelTCP", offsetof(struct cfg_resources, mem_kernel_tcp), -1, INT64_MAX, true,
     true},
    {"memory.swappiness", offsetof(struct cfg_resources, mem_swappiness), 0, 100, true, false},
    {"pids.limit", offsetof(struct cfg_resources, pids_limit), -1, INT64_MAX, true, false},
    {"cpu.shares", offsetof(struct cfg_resources, cpu_shares), 0, 262144, false, false},
    {"cpu.quota", offsetof(struct cfg_resources, cpu_quota), -1, INT64_MAX, true, false},
    {"cpu.period", offsetof(struct cfg_resources, cpu_period), 0, 1000000, false, false},
    {"blockIO.weight", offsetof(struct cfg_resources, io_weight), 0, 1000, false, false},
};

static int limit(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_resources *res = ctx;
	size_t len = strlen(path);

	if (cJSON_IsNull(v))
		return 0;
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		size_t kl = strlen(limits[i].key);
		int64_t x;
		int r;

		if (len < kl || strcmp(path + len - kl, limits[i].key) != 0)
			continue;
		if ((r = json_i64(v, path, limits[i].min, limits[i].max, &x, err)) < 0)
			return r;
		if (x == 0 && limits[i].zero_unset)
			x = -1;
		memcpy((char *)res + limits[i].off, &x, sizeof(x));
		/* swappiness 0 is a setting, not "unset" */
		res->any = res->any || (limits[i].limits && (x > 0 || (x == 0 && !limits[i].min)));
		return 0;
	}
	return kerr_set(err, 0, "%s: unknown limit", path);
}

static int cpuset_str(const cJSON *v, const char *path, const char **out, struct cfg_resources *res,
		      struct kerr *err)
{
	int r = json_str(v, path, out, err);

	if (r == 0 && **out)
		res->any = true;
	if (r == 0 && strspn(*out, "0123456789,-") != strlen(*out))
		return kerr_set(err, 0, "%s: expected a list like 0-2,4", path);
	return r;
}

static int cpu_cpus(const cJSON *v, const char *p, void *ctx, struct kerr *e)
{
	struct cfg_resources *res = ctx;
	return cpuset_str(v, p, &res->cpuset_cpus, res, e);
}

static int cpu_mems(const cJSON *v, const char *p, void *ctx, struct kerr *e)
{
	struct cfg_resources *res = ctx;
	return cpuset_str(v, p, &res->cpuset_mems, res, e);
}

static int oom_disable(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_resources *res = ctx;
	int r = cJSON_IsNull(v) ? 0 : json_bool(v, path, &res->mem_oom_disable, err);

	res->any = res->any || res->mem_oom_disable;
	return r;
}

static int parse_memory(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"limit", limit, 0},
	    {"swap", limit, 0},
	    {"reservation", limit, 0},
	    {"kernel", json_deprecated, 0},
	    {"kernelTCP", limit, 0},
	    {"swappiness", limit, 0},
	    {"disableOOMKiller", oom_disable, 0},
	    {"useHierarchy", NULL, 0},
	    {"checkBeforeUpdate", NULL, 0},
	};
	return json_walk(v, path, f, sizeof(f) / sizeof(f[0]), ctx, err);
}

static int parse_cpu(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"shares", limit, 0},
	    {"quota", limit, 0},
	    {"period", limit, 0},
	    {"cpus", cpu_cpus, 0},
	    {"mems", cpu_mems, 0},
	    {"realtimeRuntime", json_must_be_empty, 0},
	    {"realtimePeriod", json_must_be_empty, 0},
	    {"idle", json_must_be_empty, 0},
	    {"burst", json_must_be_empty, 0},
	};
	return json_walk(v, path, f, sizeof(f) / sizeof(f[0]), ctx, err);
}

static int parse_pids(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {{"limit", limit, 0}};
	return json_walk(v, path, f, 1, ctx, err);
}

static int parse_blockio(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"weight", limit, 0},
	    {"leafWeight", json_deprecated, 0},
	    {"leafWeightDevice", json_deprecated, 0},
	    {"weightDevice", json_must_be_empty, 0},
	    {"throttleReadBpsDevice", json_must_be_empty, 0},
	    {"throttleWriteBpsDevice", json_must_be_empty, 0},
	    {"throttleReadIOPSDevice", json_must_be_empty, 0},
	    {"throttleWriteIOPSDevice", json_must_be_empty, 0},
	};
	return json_walk(v, path, f, sizeof(f) / sizeof(f[0]), ctx, err);
}

static int parse_unified(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_resources *res = ctx;
	int r = config_str_map(v, path, &res->unified, &res->n_unified, err);

	res->any = res->any || res->n_unified;
	return r;
}

int config_parse_resources(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"memory", parse_memory, 0},
	    {"cpu", parse_cpu, 0},
	    {"pids", parse_pids, 0},
	    {"blockIO", parse_blockio, 0},
	    {"unified", parse_unified, 0},
	    {"devices", config_parse_device_rules, 0},
	    {"hugepageLimits", json_must_be_empty, 0},
	    {"network", json_deprecated, 0},
	    {"rdma", json_must_be_empty, 0},
	};
	struct cfg_resources *res = &((struct config *)ctx)->res;
	int r = json_walk(v, path, f, sizeof(f) / sizeof(f[0]), res, err);

	/* OCI swap is memory+swap: below the limit it cannot be honoured. */
	if (r == 0 && res->mem_swap > 0 && res->mem_limit > 0 && res->mem_swap < res->mem_limit)
		return kerr_set(err, 0, "%s.memory.swap: %lld is below memory.limit %lld", path,
				(long long)res->mem_swap, (long long)res->mem_limit);
	return r;
}
