/* config.json "linux.seccomp": actions, architectures, syscall rules with
 * argument comparisons, flags. Names become libseccomp values here; the
 * filter itself is compiled by seccomp.c. */
#include "config_parts.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	uint32_t action; /* SCMP_ACT_ERRNO/TRACE get errnoRet ORed in */
} actions[] = {
    {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD},
    {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
    {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
    {"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
    {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0)},
    {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0)},
    {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
    {"SCMP_ACT_LOG", SCMP_ACT_LOG},
};

static const struct {
	const char *name;
	int op;
} ops[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

/* Reads an action and its optional errnoRet sibling (EPERM by default, as
 * runc does). */
static int sc_action(const cJSON *v, const cJSON *errno_ret, const char *path, uint32_t *out,
		     struct kerr *err)
{
	const char *s;
	uint64_t e = EPERM;
	int r = json_str(v, path, &s, err);

	if (r < 0)
		return r;
	if (errno_ret && (r = json_u64(errno_ret, "errnoRet", 4095, &e, err)) < 0)
		return kerr_wrap(err, "%s", path);
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(actions[i].name, s) == 0) {
			*out = actions[i].action;
			if (*out == SCMP_ACT_ERRNO(0) || *out == SCMP_ACT_TRACE(0))
				*out |= (uint32_t)e;
			return 0;
		}
	return kerr_set(err, 0, "%s: unknown action \"%s\"", path, s);
}

static int arg_index(const cJSON *v, const char *p, void *ctx, struct kerr *e)
{
	uint64_t x;
	int r = json_u64(v, p, 5, &x, e);

	((struct cfg_sc_arg *)ctx)->index = (unsigned)x;
	return r;
}

static int arg_op(const cJSON *v, const char *p, void *ctx, struct kerr *e)
{
	const char *s;
	int r = json_str(v, p, &s, e);

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, s) == 0) {
			((struct cfg_sc_arg *)ctx)->op = ops[i].op;
			return 0;
		}
	return kerr_set(e, 0, "%s: unknown operator \"%s\"", p, s);
}

static int arg_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"index", arg_index, 0},
	    {"value", json_field_u64, offsetof(struct cfg_sc_arg, value)},
	    {"valueTwo", json_field_u64, offsetof(struct cfg_sc_arg, value2)},
	    {"op", arg_op, 0}};
	struct cfg_sc_rule *rule = ctx;

	if (i >= CFG_MAX_ARGS)
		return kerr_set(err, 0, "%s: more than %d arguments", path, CFG_MAX_ARGS);
	rule->n_args = (unsigned)i + 1;
	rule->args[i].op = 0;
	int r = json_walk(el, path, f, 4, &rule->args[i], err);
	if (r == 0 && !rule->args[i].op)
		return kerr_set(err, 0, "%s.op: missing", path);
	return r;
}

static int rule_names(const cJSON *v, const char *p, void *ctx, struct kerr *e)
{
	struct cfg_sc_rule *rule = ctx;
	return json_str_array(v, p, &rule->names, &rule->n_names, e);
}

static int rule_args(const cJSON *v, const char *p, void *ctx, struct kerr *e)
{
	return json_each(v, p, arg_el, ctx, e);
}

static int rule_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"names", rule_names, 0},
	    {"action", NULL, 0 /* with errnoRet below */},
	    {"args", rule_args, 0},
	    {"errnoRet", NULL, 0},
	    {"comment", NULL, 0},
	    {"includes", json_must_be_empty, 0},
	    {"excludes", json_must_be_empty, 0},
	};
	struct cfg_sc_rule *rule = &((struct cfg_sc_rule *)ctx)[i];
	const cJSON *act = cJSON_GetObjectItemCaseSensitive(el, "action");
	char sub[JPATH_MAX];
	int r;

	if ((r = json_walk(el, path, f, sizeof(f) / sizeof(f[0]), rule, err)) < 0)
		return r;
	if (!act)
		return kerr_set(err, 0, "%s.action: missing", path);
	if (!rule->n_names)
		return kerr_set(err, 0, "%s.names: missing or empty", path);
	return sc_action(act, cJSON_GetObjectItemCaseSensitive(el, "errnoRet"),
			 json_key_path(sub, path, "action"), &rule->action, err);
}

static int sc_rules(const cJSON *v, const char *p, void *ctx, struct kerr *e)
{
	struct cfg_seccomp *sc = ctx;
	int r = json_alloc_array(v, p, sizeof(*sc->rules), (void **)&sc->rules, &sc->n_rules, e);
	return r < 0 ? r : json_each(v, p, rule_el, sc->rules, e);
}

static int arch_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	struct cfg_seccomp *sc = ctx;
	const char *s;
	char low[32];
	size_t k;
	int r = json_str(el, path, &s, err);

	if (r < 0)
		return r;
	if (strncmp(s, "SCMP_ARCH_", 10) != 0 || strlen(s + 10) >= sizeof(low))
		return kerr_set(err, 0, "%s: unknown architecture \"%s\"", path, s);
	for (k = 0; s[10 + k]; k++)
		low[k] = (char)tolower((unsigned char)s[10 + k]);
	low[k] = '\0';
	if (i >= sizeof(sc->arches) / sizeof(sc->arches[0]) ||
	    !(sc->arches[i] = seccomp_arch_resolve_name(low)))
		return kerr_set(err, 0, "%s: unknown architecture \"%s\"", path, s);
	sc->n_arches = i + 1;
	return 0;
}

static int sc_arches(const cJSON *v, const char *p, void *ctx, struct kerr *e)
{
	return json_each(v, p, arch_el, ctx, e);
}

static int flag_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	struct cfg_seccomp *sc = ctx;
	const char *s;
	int r = json_str(el, path, &s, err);

	if (r < 0)
		return r;
	if (strcmp(s, "SECCOMP_FILTER_FLAG_LOG") == 0)
		sc->flag_log = true;
	else if (strcmp(s, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
		sc->flag_spec_allow = true;
	else if (strcmp(s, "SECCOMP_FILTER_FLAG_TSYNC") == 0)
		sc->flag_tsync = true;
	else
		return kerr_set(err, 0, "%s: unknown flag \"%s\"", path, s);
	return 0;
}

static int sc_flags(const cJSON *v, const char *p, void *ctx, struct kerr *e)
{
	return json_each(v, p, flag_el, ctx, e);
}

int config_parse_seccomp(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"defaultAction", NULL, 0},
	    {"defaultErrnoRet", NULL, 0},
	    {"architectures", sc_arches, 0},
	    {"syscalls", sc_rules, 0},
	    {"flags", sc_flags, 0},
	    {"listenerPath", json_must_be_empty, 0},
	    {"listenerMetadata", json_must_be_empty, 0},
	};
	struct cfg_seccomp *sc = &((struct config *)ctx)->seccomp;
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(v, "defaultAction");
	char sub[JPATH_MAX];
	int r;

	if ((r = json_walk(v, path, f, sizeof(f) / sizeof(f[0]), sc, err)) < 0)
		return r;
	if (!def)
		return kerr_set(err, 0, "%s.defaultAction: missing", path);
	sc->present = true;
	sc->json = v;
	return sc_action(def, cJSON_GetObjectItemCaseSensitive(v, "defaultErrnoRet"),
			 json_key_path(sub, path, "defaultAction"), &sc->default_action, err);
}
