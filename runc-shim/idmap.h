/* uid_map/gid_map/setgroups of the container's new user namespace. */
#ifndef SHIM_IDMAP_H
#define SHIM_IDMAP_H

#include "config.h"

#include <sys/types.h>

/* Writes the maps of pid's user namespace. *setgroups_denied tells whether
 * "deny" had to be written (an unprivileged runtime must, before gid_map). */
int idmap_write(pid_t pid, const struct config *c, bool *setgroups_denied, struct kerr *err);

#endif
