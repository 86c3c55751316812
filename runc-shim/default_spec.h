/* keel's secure default config.json (what `spec` prints). */
#ifndef SHIM_DEFAULT_SPEC_H
#define SHIM_DEFAULT_SPEC_H

#include <stdbool.h>
#include <sys/types.h>

/* Returns a malloc'd, indented JSON text. rootless maps container root to
 * (uid, gid) alone; otherwise to the 65536 ids from 100000. */
char *default_spec(bool rootless, uid_t uid, gid_t gid);

#endif
