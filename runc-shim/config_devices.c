/* config.json "linux.resources.devices": the device cgroup rules, strictly
 * parsed into struct cfg_dev_rule. A missing type means "a" (all), a
 * missing major/minor (or -1) any number, a missing access "rwm", as runc
 * reads them. bpf_devices.c turns the list into the program. */
#include "config_parts.h"

#include <stddef.h>
#include <string.h>

static int rule_type(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	const char *s;
	int r = json_str(v, path, &s, err);

	if (r == 0 && (strlen(s) != 1 || !strchr("acb", s[0])))
		return kerr_set(err, 0, "%s: expected a, c or b", path);
	if (r == 0)
		((struct cfg_dev_rule *)ctx)->type = s[0];
	return r;
}

static int rule_number(const cJSON *v, const char *path, void *field, struct kerr *err)
{
	if (cJSON_IsNull(v))
		return 0;
	return json_i64(v, path, -1, UINT32_MAX, field, err);
}

static int rule_access(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	static const char letters[] = "mrw"; /* bit i is letters[i] */
	struct cfg_dev_rule *d = ctx;
	const char *s;
	int r = json_str(v, path, &s, err);

	if (r < 0)
		return r;
	d->access = *s ? 0 : CFG_DEV_MKNOD | CFG_DEV_READ | CFG_DEV_WRITE;
	for (; *s; s++) {
		const char *at = strchr(letters, *s);
		if (!at)
			return kerr_set(err, 0, "%s: expected letters of \"rwm\"", path);
		d->access |= (uint8_t)(1u << (at - letters));
	}
	return 0;
}

static int rule_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"allow", json_field_bool, offsetof(struct cfg_dev_rule, allow)},
	    {"type", rule_type, 0},
	    {"major", rule_number, offsetof(struct cfg_dev_rule, major)},
	    {"minor", rule_number, offsetof(struct cfg_dev_rule, minor)},
	    {"access", rule_access, 0},
	};
	struct cfg_dev_rule *d = &((struct cfg_dev_rule *)ctx)[i];

	*d = (struct cfg_dev_rule){.type = 'a', .major = -1, .minor = -1,
				   .access = CFG_DEV_MKNOD | CFG_DEV_READ | CFG_DEV_WRITE};
	if (!cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(el, "allow")))
		return kerr_set(err, 0, "%s.allow: required (true or false)", path);
	return json_walk(el, path, f, sizeof(f) / sizeof(f[0]), d, err);
}

int config_parse_device_rules(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_resources *res = ctx;
	int r = json_alloc_array(v, path, sizeof(*res->dev_rules), (void **)&res->dev_rules,
				 &res->n_dev_rules, err);

	return r < 0 ? r : json_each(v, path, rule_el, res->dev_rules, err);
}
