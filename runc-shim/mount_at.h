/* Mount primitives on fds (see mount_at.c). */
#ifndef SHIM_MOUNT_AT_H
#define SHIM_MOUNT_AT_H

#include "err.h"

#include <stdbool.h>

/* Opens PATH inside the root at rootfd (symlinks cannot leave it),
 * creating missing directories, and the last component as a file when
 * as_file. Returns an O_PATH fd or -errno. */
int mount_target_open(int rootfd, const char *path, bool create, bool as_file);
/* "/proc/self/fd/N" for fd. */
const char *fd_path(char buf[32], int fd);
/* Remounts the mount at path (fd: the same) with flags | its locked flags. */
int remount_flags(const char *path, int fd, unsigned long flags, unsigned long clear);
/* Bind src onto the target fd, then apply flags (keeping the flags the
 * kernel locks in a user namespace). */
int mount_bind_fd(const char *src, int rootfd, const char *dest, unsigned long flags, bool rec,
		  struct kerr *err);

#endif
