/* config.json "linux": namespaces, id mappings, masked/readonly paths,
 * propagation, sysctl, devices, cgroupsPath; resources are in
 * config_resources.c and seccomp in config_seccomp.c. */
#include "config_parts.h"

#include <errno.h>
#include <stddef.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const struct ns_kind ns_kinds[NS_KINDS] = {
    {CLONE_NEWUSER, "user", "user"},
    {CLONE_NEWNS, "mount", "mnt"},
    {CLONE_NEWPID, "pid", "pid"},
    {CLONE_NEWIPC, "ipc", "ipc"},
    {CLONE_NEWUTS, "uts", "uts"},
    {CLONE_NEWNET, "network", "net"},
    {CLONE_NEWCGROUP, "cgroup", "cgroup"},
};

static int ns_type(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_ns *ns = ctx;
	const char *s;
	int r = json_str(v, path, &s, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < NS_KINDS; i++) /* time namespaces: not supported */
		if (strcmp(ns_kinds[i].name, s) == 0) {
			ns->type = ns_kinds[i].type;
			return 0;
		}
	return kerr_set(err, 0, "%s: unknown or unsupported namespace \"%s\"", path, s);
}

static int ns_path(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_ns *ns = ctx;
	int r = json_str(v, path, &ns->path, err);

	if (r == 0 && !*ns->path)
		ns->path = NULL;
	return r;
}

static int ns_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {{"type", ns_type, 0}, {"path", ns_path, 0}};
	struct config *c = ctx;
	struct cfg_ns ns = {0};
	int r = json_walk(el, path, f, 2, &ns, err);

	if (r < 0)
		return r;
	if (!ns.type)
		return kerr_set(err, 0, "%s.type: missing", path);
	if (config_ns(c, ns.type))
		return kerr_set(err, 0, "%s: namespace listed twice", path);
	if (c->n_ns == CFG_MAX_NS)
		return kerr_set(err, 0, "%s: too many namespaces", path);
	c->ns[c->n_ns++] = ns;
	return 0;
}

static int parse_namespaces(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	((struct config *)ctx)->n_ns = 0;
	return json_each(v, path, ns_el, ctx, err);
}

static int map_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"containerID", json_field_u32, offsetof(struct cfg_idmap, container)},
	    {"hostID", json_field_u32, offsetof(struct cfg_idmap, host)},
	    {"size", json_field_u32, offsetof(struct cfg_idmap, size)},
	};
	struct cfg_idmap *m = &((struct cfg_idmap *)ctx)[i];
	int r;

	if (i >= CFG_MAX_IDMAP)
		return kerr_set(err, 0, "%s: more than %d mappings", path, CFG_MAX_IDMAP);
	m->size = 0;
	if ((r = json_walk(el, path, f, 3, m, err)) < 0)
		return r;
	if (m->size == 0)
		return kerr_set(err, 0, "%s.size: missing or zero", path);
	if ((uint64_t)m->container + m->size > UINT32_MAX ||
	    (uint64_t)m->host + m->size > UINT32_MAX)
		return kerr_set(err, ERANGE, "%s: range wraps around", path);
	return 0;
}

static int parse_uidmap(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	int r = json_each(v, path, map_el, c->uid_map, err);

	c->n_uid_map = r < 0 ? 0 : (size_t)cJSON_GetArraySize(v);
	return r;
}

static int parse_gidmap(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	int r = json_each(v, path, map_el, c->gid_map, err);

	c->n_gid_map = r < 0 ? 0 : (size_t)cJSON_GetArraySize(v);
	return r;
}

static int abs_paths(const cJSON *v, const char *path, const char ***out, size_t *n,
		     struct kerr *err)
{
	int r = json_str_array(v, path, out, n, err);

	for (size_t i = 0; r == 0 && i < *n; i++)
		if ((*out)[i][0] != '/')
			return kerr_set(err, 0, "%s[%zu]: must be an absolute path", path, i);
	return r;
}

static int parse_masked(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	return abs_paths(v, path, &c->masked, &c->n_masked, err);
}

static int parse_readonly(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	return abs_paths(v, path, &c->readonly, &c->n_readonly, err);
}

static int parse_propagation(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	const char *s;
	int r = json_str(v, path, &s, err);

	if (r == 0 && *s && config_propagation(s, &c->rootfs_propagation) < 0)
		return kerr_set(err, 0, "%s: unknown propagation \"%s\"", path, s);
	return r;
}

int config_str_map(const cJSON *v, const char *path, struct cfg_kv **out, size_t *n,
		   struct kerr *err)
{
	const cJSON *kv;
	size_t i = 0;

	if (!cJSON_IsObject(v))
		return kerr_set(err, 0, "%s: expected an object", path);
	free(*out);
	*n = 0;
	*out = calloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(**out));
	if (!*out)
		return kerr_set(err, ENOMEM, "%s", path);
	cJSON_ArrayForEach(kv, v)
	{
		char sub[JPATH_MAX];
		struct cfg_kv *e = &(*out)[i++];
		int r;

		json_key_path(sub, path, kv->string);
		e->key = kv->string;
		if ((r = json_str(kv, sub, &e->value, err)) < 0)
			return r;
		/* Keys become file names under /proc/sys or the cgroup dir. */
		if (!*e->key || e->key[0] == '.' || strstr(e->key, "..") || strchr(e->key, '/'))
			return kerr_set(err, 0, "%s: bad name", sub);
	}
	*n = i;
	return 0;
}

static int parse_sysctl(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	return config_str_map(v, path, &c->sysctl, &c->n_sysctl, err);
}

static int dev_path(const cJSON *v, const char *p, void *ctx, struct kerr *e)
{
	struct cfg_device *d = ctx;
	int r = json_str(v, p, &d->path, e);

	if (r == 0 && strncmp(d->path, "/dev/", 5) != 0)
		return kerr_set(e, 0, "%s: must be under /dev/", p);
	return r;
}

static int dev_type(const cJSON *v, const char *p, void *ctx, struct kerr *e)
{
	const char *s;
	int r = json_str(v, p, &s, e);

	if (r == 0 && (strlen(s) != 1 || !strchr("cbup", s[0])))
		return kerr_set(e, 0, "%s: expected c, b, u or p", p);
	if (r == 0)
		((struct cfg_device *)ctx)->type = s[0] == 'u' ? 'c' : s[0];
	return r;
}

static int dev_mode(const cJSON *v, const char *p, void *c, struct kerr *e)
{
	uint64_t m;
	int r = json_u64(v, p, 07777, &m, e);

	((struct cfg_device *)c)->mode = (mode_t)m;
	return r;
}

static int dev_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"path", dev_path, 0},
	    {"type", dev_type, 0},
	    {"major", json_field_u32, offsetof(struct cfg_device, major)},
	    {"minor", json_field_u32, offsetof(struct cfg_device, minor)},
	    {"fileMode", dev_mode, 0},
	    {"uid", json_field_u32, offsetof(struct cfg_device, uid)},
	    {"gid", json_field_u32, offsetof(struct cfg_device, gid)},
	};
	struct cfg_device *d = &((struct cfg_device *)ctx)[i];
	int r;

	d->mode = 0666;
	if ((r = json_walk(el, path, f, sizeof(f) / sizeof(f[0]), d, err)) < 0)
		return r;
	if (!d->path || !d->type)
		return kerr_set(err, 0, "%s: path and type are required", path);
	return 0;
}

static int parse_devices(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	int r = json_alloc_array(v, path, sizeof(*c->devices), (void **)&c->devices, &c->n_devices,
				 err);
	return r < 0 ? r : json_each(v, path, dev_el, c->devices, err);
}

static int parse_cgroups_path(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	int r = json_str(v, path, &c->cgroups_path, err);

	if (r == 0 && strstr(c->cgroups_path, ".."))
		return kerr_set(err, 0, "%s: must not contain \"..\"", path);
	if (r == 0 && !*c->cgroups_path)
		c->cgroups_path = NULL;
	return r;
}

int config_parse_linux(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"namespaces", parse_namespaces, 0},
	    {"uidMappings", parse_uidmap, 0},
	    {"gidMappings", parse_gidmap, 0},
	    {"maskedPaths", parse_masked, 0},
	    {"readonlyPaths", parse_readonly, 0},
	    {"rootfsPropagation", parse_propagation, 0},
	    {"sysctl", parse_sysctl, 0},
	    {"devices", parse_devices, 0},
	    {"cgroupsPath", parse_cgroups_path, 0},
	    {"resources", config_parse_resources, 0},
	    {"seccomp", config_parse_seccomp, 0},
	    {"mountLabel", json_must_be_empty, 0},
	    {"intelRdt", json_must_be_empty, 0},
	    {"personality", json_must_be_empty, 0},
	    {"timeOffsets", json_must_be_empty, 0},
	    {"memoryPolicy", json_must_be_empty, 0},
	    {"netDevices", json_must_be_empty, 0},
	};
	return json_walk(v, path, f, sizeof(f) / sizeof(f[0]), ctx, err);
}

static int check_map(const struct cfg_idmap *m, size_t n, const char *what, struct kerr *err)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (m[i].container < m[j].container + m[j].size &&
			    m[j].container < m[i].container + m[i].size)
				return kerr_set(err, 0, "linux.%s[%zu]: overlaps [%zu]", what, j,
						i);
	return 0;
}

int config_check_linux(const struct config *c, struct kerr *err)
{
	const struct cfg_ns *user = config_ns(c, CLONE_NEWUSER);
	const struct cfg_ns *pid = config_ns(c, CLONE_NEWPID);
	int r;

	if ((c->n_uid_map || c->n_gid_map) && (!user || user->path))
		return kerr_set(err, 0, "linux.uidMappings: needs a new user namespace");
	if (user && !user->path && (!c->n_uid_map || !c->n_gid_map))
		return kerr_set(
		    err, 0, "linux.uidMappings/gidMappings: required with a new user namespace");
	/* A pid namespace made before joining the user namespace would be
	 * owned by the host's: container root could not mount its /proc. */
	if (user && user->path && pid && !pid->path)
		return kerr_set(err, 0,
				"linux.namespaces: joining a user namespace needs the pid "
				"namespace joined too");
	if ((r = check_map(c->uid_map, c->n_uid_map, "uidMappings", err)) < 0)
		return r;
	if ((r = check_map(c->gid_map, c->n_gid_map, "gidMappings", err)) < 0)
		return r;
	/* As runc: a joined uts namespace gets the hostname too. */
	if (c->hostname && !config_ns(c, CLONE_NEWUTS))
		return kerr_set(err, 0, "hostname: needs a uts namespace");
	if (c->n_sysctl && !config_ns(c, CLONE_NEWNS))
		return kerr_set(err, 0, "linux.sysctl: needs a mount namespace");
	if (!config_ns(c, CLONE_NEWNS))
		return kerr_set(err, 0, "linux.namespaces: a mount namespace is required");
	return 0;
}

const struct cfg_ns *config_ns(const struct config *c, int type)
{
	for (size_t i = 0; i < c->n_ns; i++)
		if (c->ns[i].type == type)
			return &c->ns[i];
	return NULL;
}
