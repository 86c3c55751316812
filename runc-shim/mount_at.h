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
struct bind_opts {
	unsigned long flags, clear;   /* MS_* on the top mount */
	unsigned long rflags, rclear; /* MS_* on every mount of the tree (rro, ...) */
	unsigned long propagation;    /* MS_SHARED/... | MS_REC, 0: as cloned */
	bool rec;		      /* rbind */
};

/* mount_setattr on the mount at fd mnt: sets flags, clears clear (what the
 * kernel locked stays). */
int mount_set_flags(int mnt, bool recursive, unsigned long flags, unsigned long clear);
int mount_set_propagation(int mnt, unsigned long propagation);
/* open_tree(OPEN_TREE_CLONE) of path at dirfd ("" : dirfd itself). */
int mount_clone_tree(int dirfd, const char *path, bool recursive);
/* move_mount of the detached mount onto the target fd. */
int mount_move_onto(int mnt, int target);
/* Binds a detached copy of src onto dest (created inside the root at
 * rootfd), its flags set before it is attached. */
int mount_bind_fd(const char *src, int rootfd, const char *dest, const struct bind_opts *o,
		  struct kerr *err);

#endif
