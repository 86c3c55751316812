/* STATE_DIR/summary: a few facts of the config that cannot be read back from
 * the live process (the seccomp profile's size, the masked paths), as
 * `key=value` lines for `keelctl inspect`: PID 1 parses no JSON. */
#ifndef SHIM_SUMMARY_H
#define SHIM_SUMMARY_H

#include "config.h"

/* Written at create, next to state.json; 0 or -errno. */
int summary_write(int dirfd, const struct config *c, struct kerr *err);

#endif
