/* Seccomp: the filter is compiled with libseccomp in the parent (so a bad
 * profile fails create before anything is cloned), or taken ready-made from
 * the cache, and loaded by the child last, as raw BPF. */
#ifndef SHIM_SECCOMP_H
#define SHIM_SECCOMP_H

#include "config.h"

#include <linux/filter.h>

struct seccomp_prog {
	struct sock_filter *insns; /* NULL: the config has no seccomp */
	unsigned short len;
	unsigned flags; /* SECCOMP_FILTER_FLAG_* */
};

/* Fills p from c's linux.seccomp; cache_dir may be NULL (no cache). */
int seccomp_prepare(const struct config *c, const char *cache_dir, struct seccomp_prog *p,
		    struct kerr *err);
int seccomp_apply(const struct seccomp_prog *p, struct kerr *err);
void seccomp_prog_free(struct seccomp_prog *p);

/* seccomp_cache.c: compiled programs keyed by the exact profile text. */
char *seccomp_cache_key(const struct cfg_seccomp *sc);
int seccomp_cache_load(const char *dir, const char *key, struct seccomp_prog *p);
void seccomp_cache_store(const char *dir, const char *key, const struct seccomp_prog *p);

#endif
