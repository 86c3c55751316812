/* The container's filesystem: config mounts, /dev, pivot_root, then the
 * masked and read-only paths. */
#ifndef SHIM_MOUNTS_H
#define SHIM_MOUNTS_H

#include "container.h"

/* Before pivot: propagation, rootfs bind, every config mount and device. */
int mounts_setup(const struct launch *l, struct kerr *err);
/* After pivot: masked paths, read-only paths, read-only root, propagation. */
int mounts_finish(const struct launch *l, struct kerr *err);

/* Helpers shared with devices.c. */
/* Opens PATH inside the root at rootfd (symlinks cannot leave it),
 * creating missing directories, and the last component as a file when
 * as_file. Returns an O_PATH fd or -errno. */
int mount_target_open(int rootfd, const char *path, bool create, bool as_file);
/* "/proc/self/fd/N" for fd. */
const char *fd_path(char buf[32], int fd);
/* Bind src onto the target fd, then apply flags (keeping the flags the
 * kernel locks in a user namespace). */
int mount_bind_fd(const char *src, int rootfd, const char *dest, unsigned long flags, bool rec,
		  struct kerr *err);

int pivot_into(const char *rootfs, bool no_pivot, struct kerr *err);
int devices_setup(int rootfd, const struct launch *l, struct kerr *err);

#endif
