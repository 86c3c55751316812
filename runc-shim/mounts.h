/* The container's filesystem: config mounts and /dev before pivot_root,
 * then the masked and read-only paths. */
#ifndef SHIM_MOUNTS_H
#define SHIM_MOUNTS_H

#include "container.h"

/* Before pivot: propagation, rootfs bind, every config mount and device. */
int mounts_setup(const struct launch *l, struct kerr *err);
/* After pivot: masked paths, read-only paths, read-only root, propagation. */
int mounts_finish(const struct launch *l, struct kerr *err);

#endif
