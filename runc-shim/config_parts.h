/* Internal to the config_*.c files: the section parsers config.c dispatches to. */
#ifndef SHIM_CONFIG_PARTS_H
#define SHIM_CONFIG_PARTS_H

#include "cfg_json.h"
#include "config.h"

jfield_fn config_parse_process, config_parse_mounts, config_parse_linux, config_parse_seccomp;
jfield_fn config_parse_hooks;
/* Frees what config_parse_hooks allocated. */
void config_free_hooks(struct cfg_hooks *h);
/* rprivate, rslave, ... → MS_* | MS_REC; -EINVAL for other names. */
int config_propagation(const char *name, unsigned long *out);
/* An object of strings → key/value array; keys must be plain file names. */
int config_str_map(const cJSON *v, const char *path, struct cfg_kv **out, size_t *n,
		   struct kerr *err);
jfield_fn config_parse_resources;
/* linux.resources.devices (config_devices.c). */
jfield_fn config_parse_device_rules;
void config_resources_init(struct cfg_resources *r);
/* Cross-field checks once everything is read (mappings vs user ns, ...). */
int config_check_linux(const struct config *c, struct kerr *err);

#endif
