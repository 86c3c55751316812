/* Seccomp with libseccomp: compiled in the parent (so a bad profile fails
 * create before anything is cloned), loaded by the child last. */
#ifndef SHIM_SECCOMP_H
#define SHIM_SECCOMP_H

#include "config.h"

/* *ctx gets a scmp_filter_ctx, or NULL when the config has no seccomp. */
int seccomp_compile(const struct cfg_seccomp *sc, void **ctx, struct kerr *err);
int seccomp_apply(void *ctx, struct kerr *err);
void seccomp_free_filter(void *ctx);

#endif
