/* /dev inside the container: the default nodes, linux.devices, the
 * standard symlinks (see devices.c). */
#ifndef SHIM_DEVICES_H
#define SHIM_DEVICES_H

#include "container.h"

/* rootfd: the rootfs, before pivot. */
int devices_setup(int rootfd, const struct launch *l, struct kerr *err);

#endif
