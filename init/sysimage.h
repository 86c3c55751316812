/* Read-only system images (the `image` lines of /etc/keel/mounts): a
 * squashfs on its own disk, found by /dev name or virtio-blk serial, mounted
 * ro,nodev,nosuid on its mount point for the service that uses it. Runs in
 * PID 1's disk worker (diskwork.h), never in PID 1: it reads the disk. */
#ifndef KEEL_INIT_SYSIMAGE_H
#define KEEL_INIT_SYSIMAGE_H

#include "mount_table.h"

#include <stddef.h>

/* 0, or -errno with a short reason in why ("no such disk", "not a squashfs
 * image", "the kernel has no squashfs (squashfs.ko not loaded)"). */
int sysimage_mount(const struct mt_image *im, char *why, size_t size);

#endif
