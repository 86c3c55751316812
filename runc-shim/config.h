/* The typed form of an OCI config.json. config_load() fills it strictly:
 * every key it does not know, and every value of the wrong type or range, is
 * an error naming the JSON path. Strings point into the kept cJSON tree, so a
 * struct config lives until config_free(). Everything else takes it const. */
#ifndef SHIM_CONFIG_H
#define SHIM_CONFIG_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CFG_MAX_NS    8
#define CFG_MAX_IDMAP 16
#define CFG_MAX_ARGS  6

struct cfg_mount {
	const char *dest, *type, *source;
	unsigned long flags;	   /* MS_* set by the options */
	unsigned long clear;	   /* MS_* cleared by "rw", "suid", ... */
	unsigned long propagation; /* MS_SHARED/MS_SLAVE/... (| MS_REC) */
	unsigned long rflags, rclear; /* MS_* for the whole tree: rro, rnosuid, ... */
	char *data;		   /* options the kernel parses (size=, mode=) */
	bool bind, rec;
	bool copyup; /* tmpcopyup: fill the tmpfs with what it covers */
};

struct cfg_ns {
	int type;	  /* CLONE_NEW* */
	const char *path; /* join this one instead of creating one */
};

struct cfg_idmap {
	uint32_t container, host, size;
};

struct cfg_rlimit {
	int resource;
	uint64_t soft, hard;
};

struct cfg_kv {
	const char *key, *value;
};

struct cfg_device {
	const char *path;
	char type; /* 'c', 'b', 'p' */
	uint32_t major, minor, uid, gid;
	mode_t mode;
};

struct cfg_sc_arg {
	unsigned index;
	uint64_t value, value2;
	int op; /* enum scmp_compare */
};

struct cfg_sc_rule {
	const char **names;
	size_t n_names;
	uint32_t action;
	struct cfg_sc_arg args[CFG_MAX_ARGS];
	unsigned n_args;
};

struct cfg_seccomp {
	bool present;
	const void *json; /* the linux.seccomp cJSON object: the cache key */
	uint32_t default_action;
	uint32_t arches[16];
	size_t n_arches;
	struct cfg_sc_rule *rules;
	size_t n_rules;
	bool flag_log, flag_spec_allow, flag_tsync;
};

/* linux.resources.devices[]: a cgroup device rule (enforced by
 * bpf_devices.c). major/minor -1: any. */
struct cfg_dev_rule {
	bool allow;
	char type;	/* 'a', 'c', 'b' */
	uint8_t access; /* CFG_DEV_MKNOD | CFG_DEV_READ | CFG_DEV_WRITE */
	int64_t major, minor;
};
enum { CFG_DEV_MKNOD = 1, CFG_DEV_READ = 2, CFG_DEV_WRITE = 4 };
#define CFG_DEV_ALL (CFG_DEV_MKNOD | CFG_DEV_READ | CFG_DEV_WRITE)

/* -1 means "not set" for every limit. */
struct cfg_resources {
	int64_t mem_limit, mem_swap, mem_reservation, pids_limit;
	int64_t cpu_shares, cpu_quota, cpu_period, io_weight;
	int64_t mem_kernel_tcp, mem_swappiness; /* cgroup v1 only */
	bool mem_oom_disable;			/* cgroup v1 only */
	const char *cpuset_cpus, *cpuset_mems;
	struct cfg_kv *unified; /* raw "file": "value" writes */
	size_t n_unified;
	struct cfg_dev_rule *dev_rules;
	size_t n_dev_rules;
	bool any; /* a limit (not just a weight) was asked for */
};

struct cfg_process {
	const char **args, **env;
	size_t n_args, n_env;
	const char *cwd;
	uint32_t uid, gid, *groups;
	size_t n_groups;
	int umask;	  /* -1: leave as is */
	uint64_t caps[5]; /* bounding, effective, inheritable, permitted, ambient */
	struct cfg_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privs, terminal, has_oom_score;
	int oom_score_adj;
};

/* OCI hooks, in the order of their lifecycle (hooks.c runs them). */
enum hook_kind {
	HOOK_PRESTART,
	HOOK_CREATE_RUNTIME,
	HOOK_CREATE_CONTAINER,
	HOOK_START_CONTAINER,
	HOOK_POSTSTART,
	HOOK_POSTSTOP,
	HOOK_N
};

struct cfg_hook {
	const char *path;	 /* absolute */
	const char **args, **env; /* NULL: {path} / the runtime's environment */
	size_t n_args, n_env;
	int64_t timeout;	 /* seconds, 0: none */
};

struct cfg_hooks {
	struct cfg_hook *list[HOOK_N];
	size_t n[HOOK_N];
};

enum { CAPSET_BND, CAPSET_EFF, CAPSET_INH, CAPSET_PRM, CAPSET_AMB, CAPSET_N };

struct config {
	void *json;	       /* cJSON tree that owns the strings */
	const char *root_path; /* as written in config.json */
	bool root_readonly;
	const char *hostname;
	struct cfg_process proc;
	struct cfg_mount *mounts;
	size_t n_mounts;
	struct cfg_ns ns[CFG_MAX_NS];
	size_t n_ns;
	struct cfg_idmap uid_map[CFG_MAX_IDMAP], gid_map[CFG_MAX_IDMAP];
	size_t n_uid_map, n_gid_map;
	const char **masked, **readonly;
	size_t n_masked, n_readonly;
	unsigned long rootfs_propagation; /* 0: default MS_REC|MS_PRIVATE */
	struct cfg_kv *sysctl;
	size_t n_sysctl;
	struct cfg_device *devices;
	size_t n_devices;
	struct cfg_seccomp seccomp;
	struct cfg_resources res;
	const char *cgroups_path;
	struct cfg_hooks hooks;
	const void *annotations; /* the cJSON object (strings only), or NULL */
};

/* Parses a config.json text; name is used in messages ("config.json"). */
int config_parse(const char *text, size_t len, struct config *c, struct kerr *err);
/* Reads and parses BUNDLE/config.json. */
int config_load(const char *bundle, struct config *c, struct kerr *err);
/* Reads an OCI "process" object alone (exec --process FILE) into c->proc. */
int config_load_process(const char *file, struct config *c, struct kerr *err);
void config_free(struct config *c);
/* Capabilities runc-shim itself lacks (its bounding set) cannot be granted:
 * dropped from every set with a warning, as the spec asks (SHOULD NOT fail).
 * config_load/config_load_process call it; config_parse does not. */
void config_drop_ungrantable_caps(struct cfg_process *p);

/* The annotations as compact JSON text for state.json ("" if none);
 * -E2BIG when they do not fit in size. */
int config_annotations_text(const struct config *c, char *buf, size_t size);

/* The one namespace table: every kind runc-shim knows, in the order they
 * are joined (user first: it decides what the others may do). */
struct ns_kind {
	int type;	  /* CLONE_NEW* */
	const char *name; /* in config.json ("network") */
	const char *proc; /* under /proc/PID/ns ("net") */
};
#define NS_KINDS 7
extern const struct ns_kind ns_kinds[NS_KINDS];

/* "prestart", "createRuntime", ... */
const char *config_hook_name(enum hook_kind k);

/* The namespace entry of a CLONE_NEW* type, or NULL. */
const struct cfg_ns *config_ns(const struct config *c, int type);

#endif
