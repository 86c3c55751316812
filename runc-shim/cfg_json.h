/* Strict typed reads from a cJSON tree, each error naming the JSON path.
 * json_walk() dispatches an object's keys through a table of handlers; a
 * key the table does not list is ignored with a warning, as the OCI spec
 * requires (known fields keel cannot honour are listed, and refused). */
#ifndef SHIM_CFG_JSON_H
#define SHIM_CFG_JSON_H

#include "err.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#define JPATH_MAX 256

typedef int jfield_fn(const cJSON *v, const char *path, void *ctx, struct kerr *err);

/* parse gets ctx + off: a whole struct (off 0) or one member of it, which
 * lets the generic json_field_* handlers fill members by offsetof. */
struct jfield {
	const char *key;
	jfield_fn *parse; /* NULL: the key is accepted and ignored (harmless) */
	size_t off;
};

/* Generic handlers: the member at off is a const char *, bool, uint32_t
 * (up to UINT32_MAX - 1) or uint64_t. */
jfield_fn json_field_str, json_field_bool, json_field_u32, json_field_u64;
/* Known fields keel cannot honour: only an empty value (null, false, 0, "",
 * [] or {}) passes; anything else fails naming the path. */
jfield_fn json_must_be_empty;
/* Deprecated fields runc ignores: a non-empty value is warned about. */
jfield_fn json_deprecated;

/* After cJSON_Parse*(root, text): numbers at or beyond 2^53 get their exact
 * source text as valuestring (freed by cJSON_Delete), read by json_i64/u64. */
int json_keep_big_numbers(cJSON *root, const char *text, size_t len);

int json_walk(const cJSON *obj, const char *path, const struct jfield *fields, size_t n, void *ctx,
	      struct kerr *err);
/* Runs each(member, "path.key", ctx) over an object's members. */
int json_members(const cJSON *obj, const char *path, jfield_fn *each, void *ctx,
		 struct kerr *err);
/* Runs each(el, "path[i]", i, ctx) over an array. */
int json_each(const cJSON *arr, const char *path,
	      int (*each)(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err),
	      void *ctx, struct kerr *err);
/* Joins "path.key" / "path[i]" into buf. */
const char *json_key_path(char buf[JPATH_MAX], const char *path, const char *key);
const char *json_idx_path(char buf[JPATH_MAX], const char *path, size_t i);

int json_str(const cJSON *v, const char *path, const char **out, struct kerr *err);
int json_bool(const cJSON *v, const char *path, bool *out, struct kerr *err);
int json_u64(const cJSON *v, const char *path, uint64_t max, uint64_t *out, struct kerr *err);
int json_i64(const cJSON *v, const char *path, int64_t min, int64_t max, int64_t *out,
	     struct kerr *err);
/* A malloc'd array of string pointers into the tree (NULL-terminated). */
int json_str_array(const cJSON *v, const char *path, const char ***out, size_t *n,
		   struct kerr *err);
/* A malloc'd array of n zeroed elements of size sz for an array value. */
int json_alloc_array(const cJSON *v, const char *path, size_t sz, void **out, size_t *n,
		     struct kerr *err);

#endif
