/* config.json "process": args, env, cwd, user, capabilities, rlimits,
 * noNewPrivileges, oomScoreAdj, terminal. Capability names are resolved with
 * libcap here, so a typo fails at create time with its JSON path. */
#include "config_parts.h"
#include "log.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static int parse_args(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_process *p = ctx;
	return json_str_array(v, path, &p->args, &p->n_args, err);
}

static int parse_env(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_process *p = ctx;
	int r = json_str_array(v, path, &p->env, &p->n_env, err);

	for (size_t i = 0; r == 0 && i < p->n_env; i++)
		if (!strchr(p->env[i], '=') || p->env[i][0] == '=')
			return kerr_set(err, 0, "%s[%zu]: expected NAME=VALUE", path, i);
	return r;
}

static int parse_cwd(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_process *p = ctx;
	int r = json_str(v, path, &p->cwd, err);

	if (r == 0 && p->cwd[0] != '/')
		return kerr_set(err, 0, "%s: must be an absolute path", path);
	return r;
}

static int parse_oom(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_process *p = ctx;
	int64_t x;
	int r = json_i64(v, path, -1000, 1000, &x, err);

	p->oom_score_adj = (int)x;
	p->has_oom_score = r == 0;
	return r;
}

static int parse_umask(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	uint64_t x;
	int r = json_u64(v, path, 0777, &x, err);

	((struct cfg_process *)ctx)->umask = (int)x;
	return r;
}

static int group_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	return json_field_u32(el, path, &((uint32_t *)ctx)[i], err);
}

static int parse_groups(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_process *p = ctx;
	int r = json_alloc_array(v, path, sizeof(uint32_t), (void **)&p->groups, &p->n_groups, err);
	return r < 0 ? r : json_each(v, path, group_el, p->groups, err);
}

static int parse_user(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"uid", json_field_u32, offsetof(struct cfg_process, uid)},
	    {"gid", json_field_u32, offsetof(struct cfg_process, gid)},
	    {"umask", parse_umask, 0},
	    {"additionalGids", parse_groups, 0},
	    {"username", NULL, 0}, /* informational (Windows field) */
	};
	return json_walk(v, path, f, sizeof(f) / sizeof(f[0]), ctx, err);
}

static int cap_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	const char *name;
	cap_value_t cap;
	int r = json_str(el, path, &name, err);

	if (r < 0)
		return r;
	if (cap_from_name(name, &cap) < 0 || cap < 0 || cap > 63)
		return kerr_set(err, 0, "%s: unknown capability \"%s\"", path, name);
	*(uint64_t *)ctx |= 1ULL << cap;
	return 0;
}

static int parse_capset(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const char *const sets[CAPSET_N] = {"bounding", "effective", "inheritable",
						   "permitted", "ambient"};
	struct cfg_process *p = ctx;
	const char *key = strrchr(path, '.') + 1;

	for (int i = 0; i < CAPSET_N; i++)
		if (strcmp(key, sets[i]) == 0) {
			p->caps[i] = 0;
			return json_each(v, path, cap_el, &p->caps[i], err);
		}
	return kerr_set(err, 0, "%s: unknown capability set", path);
}

static int parse_caps(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"bounding", parse_capset, 0},    {"effective", parse_capset, 0},
	    {"inheritable", parse_capset, 0}, {"permitted", parse_capset, 0},
	    {"ambient", parse_capset, 0},
	};
	return json_walk(v, path, f, sizeof(f) / sizeof(f[0]), ctx, err);
}

static const struct {
	const char *name;
	int res;
} rlimit_names[] = {
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

static int rlimit_type(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_rlimit *rl = ctx;
	const char *name;
	int r = json_str(v, path, &name, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
		if (strcmp(rlimit_names[i].name, name) == 0) {
			rl->resource = rlimit_names[i].res;
			return 0;
		}
	return kerr_set(err, 0, "%s: unknown rlimit \"%s\"", path, name);
}

static int rlimit_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"type", rlimit_type, 0},
	    {"soft", json_field_u64, offsetof(struct cfg_rlimit, soft)},
	    {"hard", json_field_u64, offsetof(struct cfg_rlimit, hard)}};
	struct cfg_rlimit *rl = &((struct cfg_rlimit *)ctx)[i];
	int r;

	rl->resource = -1;
	if ((r = json_walk(el, path, f, 3, rl, err)) < 0)
		return r;
	if (rl->resource < 0)
		return kerr_set(err, 0, "%s.type: missing", path);
	if (rl->soft > rl->hard)
		return kerr_set(err, 0, "%s: soft limit above hard limit", path);
	return 0;
}

static int parse_rlimits(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_process *p = ctx;
	int r = json_alloc_array(v, path, sizeof(*p->rlimits), (void **)&p->rlimits, &p->n_rlimits,
				 err);
	return r < 0 ? r : json_each(v, path, rlimit_el, p->rlimits, err);
}

void config_drop_ungrantable_caps(struct cfg_process *p)
{
	uint64_t all = 0, missing = 0;

	for (int s = 0; s < CAPSET_N; s++)
		all |= p->caps[s];
	for (int c = 0; c < 64; c++)
		if ((all >> c) & 1 && prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 0) {
			char *name = cap_to_name(c);
			for (char *q = name; q && *q; q++) /* as the config spells it */
				*q = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
			log_warn("config.json: process.capabilities: %s is not in runc-shim's own "
				 "bounding set: not granted",
				 name ? name : "?");
			cap_free(name);
			missing |= 1ULL << c;
		}
	for (int s = 0; s < CAPSET_N; s++)
		p->caps[s] &= ~missing;
}

int config_parse_process(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"args", parse_args, 0},
	    {"env", parse_env, 0},
	    {"cwd", parse_cwd, 0},
	    {"user", parse_user, 0},
	    {"capabilities", parse_caps, 0},
	    {"rlimits", parse_rlimits, 0},
	    {"noNewPrivileges", json_field_bool, offsetof(struct cfg_process, no_new_privs)},
	    {"oomScoreAdj", parse_oom, 0},
	    {"terminal", json_field_bool, offsetof(struct cfg_process, terminal)},
	    {"consoleSize", NULL, 0}, /* the console socket's receiver sizes the pty */
	    {"apparmorProfile", json_must_be_empty, 0},
	    {"selinuxLabel", json_must_be_empty, 0},
	    {"scheduler", json_must_be_empty, 0},
	    {"ioPriority", json_must_be_empty, 0},
	    {"execCPUAffinity", json_must_be_empty, 0},
	    {"commandLine", NULL, 0}, /* Windows only */
	};
	return json_walk(v, path, f, sizeof(f) / sizeof(f[0]), &((struct config *)ctx)->proc, err);
}
