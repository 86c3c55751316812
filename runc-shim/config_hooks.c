/* config.json "hooks": prestart, createRuntime, createContainer,
 * startContainer, poststart, poststop, each an array of {path, args, env,
 * timeout}. Parsed as strictly as the rest; hooks.c runs them. */
#include "config_parts.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

static const char *const hook_names[HOOK_N] = {
    [HOOK_PRESTART] = "prestart",
    [HOOK_CREATE_RUNTIME] = "createRuntime",
    [HOOK_CREATE_CONTAINER] = "createContainer",
    [HOOK_START_CONTAINER] = "startContainer",
    [HOOK_POSTSTART] = "poststart",
    [HOOK_POSTSTOP] = "poststop",
};

const char *config_hook_name(enum hook_kind k)
{
	return hook_names[k];
}

static int parse_path(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_hook *h = ctx;
	int r = json_str(v, path, &h->path, err);

	if (r == 0 && h->path[0] != '/')
		return kerr_set(err, 0, "%s: must be an absolute path", path);
	return r;
}

static int parse_args(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_hook *h = ctx;
	return json_str_array(v, path, &h->args, &h->n_args, err);
}

static int parse_env(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_hook *h = ctx;
	return json_str_array(v, path, &h->env, &h->n_env, err);
}

static int parse_timeout(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_hook *h = ctx;
	/* The spec: "timeout MUST be greater than zero". */
	return json_i64(v, path, 1, 24 * 3600, &h->timeout, err);
}

static int parse_hook(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"path", parse_path, 0},
	    {"args", parse_args, 0},
	    {"env", parse_env, 0},
	    {"timeout", parse_timeout, 0},
	};
	struct cfg_hook *h = &((struct cfg_hook *)ctx)[i];
	int r = json_walk(el, path, f, sizeof(f) / sizeof(f[0]), h, err);

	if (r == 0 && !h->path)
		return kerr_set(err, 0, "%s.path: missing", path);
	return r;
}

static int parse_kind(const cJSON *v, const char *path, struct cfg_hooks *h, enum hook_kind k,
		      struct kerr *err)
{
	int r;

	if (cJSON_IsNull(v))
		return 0;
	r = json_alloc_array(v, path, sizeof(struct cfg_hook), (void **)&h->list[k], &h->n[k], err);
	return r < 0 ? r : json_each(v, path, parse_hook, h->list[k], err);
}

int config_parse_hooks(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	const cJSON *el;

	if (!cJSON_IsObject(v))
		return kerr_set(err, 0, "%s: expected an object", path);
	cJSON_ArrayForEach(el, v)
	{
		char sub[JPATH_MAX];
		enum hook_kind k = 0;
		int r;

		while (k < HOOK_N && strcmp(hook_names[k], el->string))
			k++;
		json_key_path(sub, path, el->string);
		if (k == HOOK_N) { /* a newer spec's hook: ignored, as unknown keys are */
			log_warn("config.json: %s: unknown hook, ignored", sub);
			continue;
		}
		if ((r = parse_kind(el, sub, &c->hooks, k, err)) < 0)
			return r;
	}
	return 0;
}

void config_free_hooks(struct cfg_hooks *h)
{
	for (int k = 0; k < HOOK_N; k++) {
		for (size_t i = 0; i < h->n[k]; i++) {
			free(h->list[k][i].args);
			free(h->list[k][i].env);
		}
		free(h->list[k]);
	}
}
