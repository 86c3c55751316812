/* `update [-r FILE|-] [--memory N ...] ID`: new limits for a live
 * container's cgroup, as `docker update` and `ctr task update` ask for them
 * (containerd-shim-runc-v2 sends `update --resources -` with the OCI
 * linux.resources JSON on stdin). -r is parsed by the same strict parser as
 * config.json's linux.resources; without it, runc's flags are used. */
#include "cfg_json.h"
#include "cgroups.h"
#include "config_parts.h"
#include "io.h"
#include "log.h"
#include "parse.h"
#include "shim.h"
#include "state.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RESOURCES_MAX_BYTES (1u << 20)

enum flag_kind { F_SIZE, F_NUM, F_CPUS, F_MEMS, F_IGNORED, F_REFUSED };

static const struct update_flag {
	const char *name;
	enum flag_kind kind;
	size_t off; /* into struct cfg_resources, for F_SIZE/F_NUM */
} flags[] = {
    {"memory", F_SIZE, offsetof(struct cfg_resources, mem_limit)},
    {"memory-swap", F_SIZE, offsetof(struct cfg_resources, mem_swap)},
    {"memory-reservation", F_SIZE, offsetof(struct cfg_resources, mem_reservation)},
    {"pids-limit", F_NUM, offsetof(struct cfg_resources, pids_limit)},
    {"cpu-share", F_NUM, offsetof(struct cfg_resources, cpu_shares)},
    {"cpu-quota", F_NUM, offsetof(struct cfg_resources, cpu_quota)},
    {"cpu-period", F_NUM, offsetof(struct cfg_resources, cpu_period)},
    {"blkio-weight", F_NUM, offsetof(struct cfg_resources, io_weight)},
    {"cpuset-cpus", F_CPUS, 0},
    {"cpuset-mems", F_MEMS, 0},
    /* Kernel memory accounting is gone from cgroup v2; runc ignores it too. */
    {"kernel-memory", F_IGNORED, 0},
    {"kernel-memory-tcp", F_IGNORED, 0},
    {"cpu-rt-period", F_REFUSED, 0},
    {"cpu-rt-runtime", F_REFUSED, 0},
    {"l3-cache-schema", F_REFUSED, 0},
    {"mem-bw-schema", F_REFUSED, 0},
};
#define N_FLAGS (sizeof(flags) / sizeof(flags[0]))

/* "512", "64k", "10M", "1g" (binary units, as runc's); "-1" is unlimited. */
static int parse_size(const char *s, bool units, int64_t *out)
{
	static const char suffixes[] = "kmgt";
	char num[32];
	size_t len = strlen(s);
	const char *u;
	uint64_t v, mul = 1;

	if (strcmp(s, "-1") == 0)
		return (*out = -1), 0;
	if (units && len > 1 && (s[len - 1] == 'b' || s[len - 1] == 'B'))
		len--;
	if (units && len > 1 && (u = strchr(suffixes, s[len - 1] | 0x20)))
		mul = 1ull << (10 * (u - suffixes + 1)), len--;
	if (len == 0 || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len);
	num[len] = '\0';
	if (parse_u64(num, (uint64_t)INT64_MAX / mul, &v) < 0)
		return -EINVAL;
	*out = (int64_t)(v * mul);
	return 0;
}

static int apply_flag(const struct update_flag *f, const char *arg, struct cfg_resources *res,
		      struct kerr *err)
{
	int64_t v;

	switch (f->kind) {
	case F_SIZE:
	case F_NUM:
		if (parse_size(arg, f->kind == F_SIZE, &v) < 0)
			return kerr_set(err, 0, "update: --%s: bad value \"%s\"", f->name, arg);
		memcpy((char *)res + f->off, &v, sizeof(v));
		return 0;
	case F_CPUS:
		res->cpuset_cpus = arg;
		return 0;
	case F_MEMS:
		res->cpuset_mems = arg;
		return 0;
	case F_IGNORED:
		log_warn("update: --%s: ignored (no kernel memory limit on cgroup v2)", f->name);
		return 0;
	case F_REFUSED:
		break;
	}
	return kerr_set(err, ENOTSUP, "update: --%s: not supported by runc-shim", f->name);
}

/* -r FILE or "-": the OCI linux.resources object. */
static int load_resources(const char *file, struct config *c, struct kerr *err)
{
	autofree char *text = NULL;
	ssize_t n = strcmp(file, "-") ? read_file_alloc(file, RESOURCES_MAX_BYTES, &text)
				      : read_fd_alloc(0, RESOURCES_MAX_BYTES, &text);

	if (n < 0)
		return kerr_set(err, (int)-n, "update: unable to read %s", file);
	if (!(c->json = cJSON_ParseWithLength(text, (size_t)n)))
		return kerr_set(err, 0, "update: %s: invalid JSON", file);
	return config_parse_resources(c->json, "resources", c, err);
}

static int parse_args(int argc, char **argv, struct config *c, const char **id, struct kerr *err)
{
	struct option opts[N_FLAGS + 2] = {{"resources", required_argument, NULL, 'r'}};
	const char *file = NULL;
	int ch, idx, r;

	for (size_t i = 0; i < N_FLAGS; i++)
		opts[i + 1] = (struct option){flags[i].name, required_argument, NULL, 0};
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":r:", opts, &idx)) != -1) {
		if (ch == 'r')
			file = optarg;
		else if (ch == 0 && (r = apply_flag(&flags[idx - 1], optarg, &c->res, err)) < 0)
			return r;
		else if (ch != 0)
			return kerr_set(err, 0, "update: unknown option or missing argument: %s",
					argv[optind - 1]);
	}
	if (optind != argc - 1)
		return kerr_set(err, 0, "update: expected exactly one container ID");
	*id = argv[optind];
	/* runc: with --resources, the flags are not used. */
	if (file) {
		config_resources_init(&c->res);
		return load_resources(file, c, err);
	}
	return 0;
}

int cmd_update(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	struct config c = {0};
	struct state s;
	const char *id = NULL;
	int r;

	config_resources_init(&c.res);
	if ((r = parse_args(argc, argv, &c, &id, err)) == 0 &&
	    (r = state_read(g->root, id, &s, err)) == 0) {
		if (state_status(g->root, &s) == ST_STOPPED)
			r = kerr_set(err, 0, "container \"%s\" is not running", id);
		else if (!s.cgroup[0])
			r = kerr_set(err, ENOTSUP, "update %s: the container has no cgroup", id);
		else
			r = cgroup_apply_limits(&c.res, s.cgroup, err);
	}
	free(c.res.unified);
	cJSON_Delete(c.json);
	return r;
}
