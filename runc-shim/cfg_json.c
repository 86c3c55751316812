/* Typed, path-naming reads from cJSON; see cfg_json.h. Numbers must be
 * integral and in range. cJSON keeps them as doubles, exact only up to 2^53:
 * json_keep_big_numbers() gives every larger one its source text (as the
 * node's valuestring), which the integer readers then parse exactly. */
#include "cfg_json.h"
#include "log.h"
#include "parse.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_EXACT_MAX 9007199254740992.0 /* 2^53 */

const char *json_key_path(char buf[JPATH_MAX], const char *path, const char *key)
{
	snprintf(buf, JPATH_MAX, "%s%s%s", path, *path ? "." : "", key);
	return buf;
}

const char *json_idx_path(char buf[JPATH_MAX], const char *path, size_t i)
{
	snprintf(buf, JPATH_MAX, "%s[%zu]", path, i);
	return buf;
}

int json_walk(const cJSON *obj, const char *path, const struct jfield *fields, size_t n, void *ctx,
	      struct kerr *err)
{
	const cJSON *v;

	if (!cJSON_IsObject(obj))
		return kerr_set(err, 0, "%s: expected an object", *path ? path : "(top)");
	cJSON_ArrayForEach(v, obj)
	{
		char sub[JPATH_MAX];
		size_t i;

		json_key_path(sub, path, v->string);
		/* cJSON keeps both of a repeated key: which one counts would
		 * be a guess (and a second parse would leak the first). */
		for (const cJSON *p = obj->child; p != v; p = p->next)
			if (strcmp(p->string, v->string) == 0)
				return kerr_set(err, 0, "%s: duplicate key", sub);
		for (i = 0; i < n; i++)
			if (strcmp(fields[i].key, v->string) == 0)
				break;
		if (i == n) {
			/* The spec: a runtime MUST ignore unknown properties. */
			log_warn("config.json: %s: unknown property, ignored", sub);
			continue;
		}
		if (fields[i].parse) {
			int r = fields[i].parse(v, sub, (char *)ctx + fields[i].off, err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int json_members(const cJSON *obj, const char *path, jfield_fn *each, void *ctx,
		 struct kerr *err)
{
	const cJSON *v;

	if (!cJSON_IsObject(obj))
		return kerr_set(err, 0, "%s: expected an object", path);
	cJSON_ArrayForEach(v, obj)
	{
		char sub[JPATH_MAX];
		int r = each(v, json_key_path(sub, path, v->string), ctx, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int json_each(const cJSON *arr, const char *path,
	      int (*each)(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err),
	      void *ctx, struct kerr *err)
{
	const cJSON *el;
	size_t i = 0;

	if (!cJSON_IsArray(arr))
		return kerr_set(err, 0, "%s: expected an array", path);
	cJSON_ArrayForEach(el, arr)
	{
		char sub[JPATH_MAX];
		int r = each(el, json_idx_path(sub, path, i), i, ctx, err);
		if (r < 0)
			return r;
		i++;
	}
	return 0;
}

int json_str(const cJSON *v, const char *path, const char **out, struct kerr *err)
{
	if (!cJSON_IsString(v))
		return kerr_set(err, 0, "%s: expected a string", path);
	if (strlen(v->valuestring) > 4096)
		return kerr_set(err, 0, "%s: string too long", path);
	*out = v->valuestring;
	return 0;
}

int json_bool(const cJSON *v, const char *path, bool *out, struct kerr *err)
{
	if (!cJSON_IsBool(v))
		return kerr_set(err, 0, "%s: expected true or false", path);
	*out = cJSON_IsTrue(v);
	return 0;
}

/* Start of the next number token at or after *p, outside strings. */
static const char *next_number(const char **p, const char *end, size_t *len)
{
	const char *s = *p;

	while (s < end && *s != '-' && !(*s >= '0' && *s <= '9')) {
		if (*s++ != '"')
			continue;
		while (s < end && *s != '"')
			s += *s == '\\' ? 2 : 1;
		s++;
	}
	if (s >= end)
		return NULL;
	*len = 0;
	while (s + *len < end && s[*len] && strchr("+-.0123456789eE", s[*len]))
		(*len)++;
	*p = s + *len;
	return s;
}

/* Pre-order over the tree meets the numbers in the order the text has them. */
static int keep_big(cJSON *node, const char **p, const char *end)
{
	for (; node; node = node->next) {
		if (cJSON_IsNumber(node)) {
			size_t len;
			const char *tok = next_number(p, end, &len);
			if (!tok)
				return -EINVAL;
			if (fabs(node->valuedouble) >= JSON_EXACT_MAX && !node->valuestring &&
			    !(node->valuestring = strndup(tok, len)))
				return -ENOMEM;
		}
		if (node->child && keep_big(node->child, p, end) < 0)
			return -ENOMEM;
	}
	return 0;
}

int json_keep_big_numbers(cJSON *root, const char *text, size_t len)
{
	const char *p = text;

	return keep_big(root, &p, text + len);
}

/* The integer a number node holds, as sign and magnitude. */
static int json_int(const cJSON *v, const char *path, bool *neg, uint64_t *mag, struct kerr *err)
{
	double d;

	if (!cJSON_IsNumber(v))
		return kerr_set(err, 0, "%s: expected a number", path);
	if (v->valuestring) { /* beyond 2^53: the exact text */
		const char *s = v->valuestring;
		*neg = *s == '-';
		if (parse_u64(s + *neg, UINT64_MAX, mag) < 0)
			return kerr_set(err, ERANGE, "%s: expected an integer up to 2^64-1, got %s",
					path, s);
		return 0;
	}
	d = v->valuedouble;
	if (d != floor(d) || fabs(d) >= JSON_EXACT_MAX)
		return kerr_set(err, 0, "%s: expected an integer", path);
	*neg = d < 0;
	*mag = (uint64_t)fabs(d);
	return 0;
}

int json_i64(const cJSON *v, const char *path, int64_t min, int64_t max, int64_t *out,
	     struct kerr *err)
{
	uint64_t mag;
	int64_t x = 0;
	bool neg, fits;
	int r = json_int(v, path, &neg, &mag, err);

	if (r < 0)
		return r;
	fits = mag <= (uint64_t)INT64_MAX + neg; /* INT64_MIN has no positive twin */
	if (fits)
		x = !neg ? (int64_t)mag : mag > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)mag;
	if (!fits || x < min || x > max)
		return kerr_set(err, ERANGE, "%s: %s%llu out of range", path, neg ? "-" : "",
				(unsigned long long)mag);
	*out = x;
	return 0;
}

int json_u64(const cJSON *v, const char *path, uint64_t max, uint64_t *out, struct kerr *err)
{
	uint64_t mag;
	bool neg;
	int r = json_int(v, path, &neg, &mag, err);

	if (r < 0)
		return r;
	if ((neg && mag) || mag > max)
		return kerr_set(err, ERANGE, "%s: %s%llu out of range", path, neg ? "-" : "",
				(unsigned long long)mag);
	*out = mag;
	return 0;
}

int json_alloc_array(const cJSON *v, const char *path, size_t sz, void **out, size_t *n,
		     struct kerr *err)
{
	int len;

	if (!cJSON_IsArray(v))
		return kerr_set(err, 0, "%s: expected an array", path);
	len = cJSON_GetArraySize(v);
	if (len > 4096)
		return kerr_set(err, E2BIG, "%s: too many elements", path);
	free(*out); /* a duplicated key replaces the earlier array */
	*out = calloc((size_t)len + 1, sz);
	if (!*out)
		return kerr_set(err, ENOMEM, "%s", path);
	*n = (size_t)len;
	return 0;
}

static int str_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	const char **arr = ctx;
	return json_str(el, path, &arr[i], err);
}

int json_str_array(const cJSON *v, const char *path, const char ***out, size_t *n, struct kerr *err)
{
	int r = json_alloc_array(v, path, sizeof(char *), (void **)out, n, err);

	return r < 0 ? r : json_each(v, path, str_el, (void *)*out, err);
}

int json_field_str(const cJSON *v, const char *path, void *field, struct kerr *err)
{
	return json_str(v, path, field, err);
}

int json_field_bool(const cJSON *v, const char *path, void *field, struct kerr *err)
{
	return json_bool(v, path, field, err);
}

int json_field_u32(const cJSON *v, const char *path, void *field, struct kerr *err)
{
	uint64_t x;
	/* (uid_t)-1 means "unchanged" to set*id(): never a valid id. */
	int r = json_u64(v, path, UINT32_MAX - 1, &x, err);

	if (r == 0)
		*(uint32_t *)field = (uint32_t)x;
	return r;
}

int json_field_u64(const cJSON *v, const char *path, void *field, struct kerr *err)
{
	return json_u64(v, path, UINT64_MAX, field, err);
}

/* Known fields keel cannot honour (no LSM, no RDT, ...): their value must
 * be empty or absent; one silently dropped would weaken the sandbox. */
static bool json_empty(const cJSON *v)
{
	return cJSON_IsNull(v) || cJSON_IsFalse(v) || (cJSON_IsNumber(v) && v->valuedouble == 0) ||
	       (cJSON_IsString(v) && !*v->valuestring) ||
	       ((cJSON_IsArray(v) || cJSON_IsObject(v)) && cJSON_GetArraySize(v) == 0);
}

int json_must_be_empty(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	return json_empty(v) ? 0 : kerr_set(err, 0, "%s: not supported by runc-shim", path);
}

/* Deprecated fields runc ignores with a warning (cgroup v1 kernel memory,
 * blkio leaf weights, net_cls/net_prio): so does keel. */
int json_deprecated(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	if (!json_empty(v))
		log_warn("config.json: %s: deprecated, ignored", path);
	return 0;
}
