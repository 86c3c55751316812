/* The "tmpcopyup" mount option: a tmpfs mounted over a directory of the
 * image starts with a copy of what it covers (runc's extension; Podman's
 * --read-only sends it for /run, /tmp, /var/tmp). */
#ifndef SHIM_COPYUP_H
#define SHIM_COPYUP_H

#include "err.h"

/* Before the mount: a readable fd of the directory at dest inside the
 * root, or -1 when there is none (then nothing is copied). */
int copyup_open(int rootfd, const char *dest);
/* After it: copies the tree under below into the new mount at dest
 * (directories, regular files, symlinks; modes and owners kept). */
int copyup_fill(int below, int rootfd, const char *dest, struct kerr *err);

#endif
