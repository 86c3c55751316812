/* linux.resources.devices as a BPF_CGROUP_DEVICE program on the
 * container's cgroup v2 directory (see bpf_devices.c). */
#ifndef SHIM_BPF_DEVICES_H
#define SHIM_BPF_DEVICES_H

#include "config.h"

/* Attaches the program to cgroup_dir ("" when there is no cgroup v2)
 * when the config has rules. Where it cannot, fails only for a container
 * in the host's user namespace: there the rules are the only guard of the
 * host's devices. */
/* runc's devices every container may use whatever its rules say (mknod
 * of any node, null/zero/full/random/urandom/tty/console/ptmx, pts);
 * cgroups_v1.c writes them too. */
#define DEVICES_N_ALWAYS_ALLOWED 11
extern const struct cfg_dev_rule devices_always_allowed[DEVICES_N_ALWAYS_ALLOWED];

int bpf_devices_apply(const char *cgroup_dir, const struct config *c, struct kerr *err);

#endif
