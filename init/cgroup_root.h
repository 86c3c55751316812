/* cgroup v2 root of the machine: PID 1 moves into its own leaf
 * (CGROUP_INIT_LEAF) so the root may delegate controllers (the "no internal
 * processes" rule), then enables the controllers that exist for children.
 * Services' cgroups are siblings of the leaf, created by the supervisor or
 * runc-shim under CGROUP_ROOT. */
#ifndef KEEL_INIT_CGROUP_ROOT_H
#define KEEL_INIT_CGROUP_ROOT_H

#include "config.h"

#define CGROUP_ROOT	 "/sys/fs/cgroup"
#define CGROUP_INIT_LEAF "init"

/* Machine's init only; every problem is a warning. */
void cgroup_root_setup(const struct init_config *cfg);

#endif
