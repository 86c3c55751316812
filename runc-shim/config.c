/* config.json → struct config: the top level, root, hostname and process.
 * The linux section lives in config_linux.c, mounts in config_mounts.c and
 * seccomp in config_seccomp.c. Fields keel does not implement are rejected
 * with their JSON path, except the few listed as harmless (NULL handler). */
#include "config.h"
#include "config_parts.h"
#include "io.h"
#include "log.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#define CONFIG_MAX_BYTES (4u << 20)

static int parse_oci_version(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	const char *s;
	int r = json_str(v, path, &s, err);

	if (r == 0 && strncmp(s, "1.", 2) != 0)
		return kerr_set(err, 0, "%s: unsupported version \"%s\" (want 1.x)", path, s);
	return r;
}

static int parse_root_path(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	int r = json_str(v, path, &c->root_path, err);

	if (r == 0 && !*c->root_path)
		return kerr_set(err, 0, "%s: empty", path);
	return r;
}

static int parse_root(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"path", parse_root_path, 0},
	    {"readonly", json_field_bool, offsetof(struct config, root_readonly)}};
	return json_walk(v, path, f, 2, ctx, err);
}

static int parse_hostname(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	int r = json_str(v, path, &c->hostname, err);

	if (r == 0 && strlen(c->hostname) > 64)
		return kerr_set(err, 0, "%s: longer than 64 bytes", path);
	if (r == 0 && !*c->hostname)
		c->hostname = NULL; /* "": leave the hostname alone */
	return r;
}

static int annotation(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	const char *s;
	return json_str(v, path, &s, err); /* the spec: values are strings */
}

static int parse_annotations(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	int r = json_members(v, path, annotation, ctx, err);

	if (r == 0)
		((struct config *)ctx)->annotations = v;
	return r;
}

int config_annotations_text(const struct config *c, char *buf, size_t size)
{
	buf[0] = '\0';
	if (c->annotations && !cJSON_PrintPreallocated((cJSON *)c->annotations, buf, (int)size, 0))
		return -E2BIG;
	return 0;
}

static int config_top(const cJSON *root, struct config *c, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"ociVersion", parse_oci_version, 0},
	    {"root", parse_root, 0},
	    {"hostname", parse_hostname, 0},
	    {"domainname", json_must_be_empty, 0},
	    {"process", config_parse_process, 0},
	    {"mounts", config_parse_mounts, 0},
	    {"linux", config_parse_linux, 0},
	    {"hooks", config_parse_hooks, 0},
	    {"annotations", parse_annotations, 0}, /* for tools; shown by `state` */
	    /* Other platforms' sections mean nothing here; a VM was asked
	     * for stronger isolation than a container, so it is refused. */
	    {"solaris", NULL, 0},
	    {"windows", NULL, 0},
	    {"zos", NULL, 0},
	    {"vm", json_must_be_empty, 0},
	};
	int r = json_walk(root, "", f, sizeof(f) / sizeof(f[0]), c, err);

	if (r < 0)
		return r;
	if (!c->root_path)
		return kerr_set(err, 0, "root.path: missing");
	if (!c->proc.n_args)
		return kerr_set(err, 0, "process.args: missing or empty");
	return config_check_linux(c, err);
}

/* Empty config with the defaults, owning the parsed tree of text. */
static int config_begin(const char *text, size_t len, struct config *c, struct kerr *err)
{
	memset(c, 0, sizeof(*c));
	c->proc.umask = -1;
	c->proc.cwd = "/";
	config_resources_init(&c->res);
	c->json = cJSON_ParseWithLength(text, len);
	if (!c->json) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= text && at <= text + len ? (size_t)(at - text) : len;
		return kerr_set(err, 0, "invalid JSON near byte %zu", off);
	}
	if (json_keep_big_numbers(c->json, text, len) < 0) {
		cJSON_Delete(c->json);
		c->json = NULL;
		return kerr_set(err, ENOMEM, "config.json: numbers");
	}
	return 0;
}

int config_parse(const char *text, size_t len, struct config *c, struct kerr *err)
{
	int r = config_begin(text, len, c, err);

	if (r < 0)
		return r;
	r = config_top(c->json, c, err);
	if (r < 0)
		config_free(c);
	return r;
}

int config_load(const char *bundle, struct config *c, struct kerr *err)
{
	char path[4096];
	autofree char *text = NULL;
	ssize_t n;
	int r;

	memset(c, 0, sizeof(*c));
	if ((size_t)snprintf(path, sizeof(path), "%s/config.json", bundle) >= sizeof(path))
		return kerr_set(err, ENAMETOOLONG, "bundle path");
	n = read_file_alloc(path, CONFIG_MAX_BYTES, &text);
	if (n < 0)
		return kerr_set(err, (int)-n, "unable to read %s", path);
	if ((r = config_parse(text, (size_t)n, c, err)) < 0)
		return kerr_wrap(err, "config.json");
	config_drop_ungrantable_caps(&c->proc);
	return 0;
}

int config_load_process(const char *file, struct config *c, struct kerr *err)
{
	autofree char *text = NULL;
	ssize_t n;
	int r;

	memset(c, 0, sizeof(*c));
	if ((n = read_file_alloc(file, CONFIG_MAX_BYTES, &text)) < 0)
		return kerr_set(err, (int)-n, "--process: unable to read %s", file);
	if ((r = config_begin(text, (size_t)n, c, err)) == 0 &&
	    (r = config_parse_process(c->json, "process", c, err)) == 0 && !c->proc.n_args)
		r = kerr_set(err, 0, "process.args: missing or empty");
	if (r < 0) {
		config_free(c);
		return kerr_wrap(err, "--process %s", file);
	}
	config_drop_ungrantable_caps(&c->proc);
	return 0;
}

void config_free(struct config *c)
{
	size_t i;

	for (i = 0; i < c->n_mounts; i++)
		free(c->mounts[i].data);
	for (i = 0; i < c->seccomp.n_rules; i++)
		free(c->seccomp.rules[i].names);
	free(c->seccomp.rules);
	free(c->mounts);
	free(c->proc.args);
	free(c->proc.env);
	free(c->proc.groups);
	free(c->proc.rlimits);
	free(c->masked);
	free(c->readonly);
	free(c->sysctl);
	free(c->devices);
	free(c->res.unified);
	free(c->res.dev_rules);
	config_free_hooks(&c->hooks);
	cJSON_Delete(c->json);
	memset(c, 0, sizeof(*c));
}
