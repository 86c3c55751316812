/* /etc/keel/mounts: the machine-wide mounts PID 1 makes itself (no
 * privileged container mounts anything on the host). Written by
 * services/build.py; the format is in docs/image.md:
 *   disk DEVICE MOUNTPOINT ext4 OPTIONS FORMAT-UID:GID|-
 *   dir PATH UID GID MODE
 *   image DEVICE MOUNTPOINT squashfs SERVICE    (DEVICE: /dev/NAME or serial:SERIAL)
 * The parser is pure (unit test + fuzz target); datadisk.c applies it. */
#ifndef KEEL_INIT_MOUNT_TABLE_H
#define KEEL_INIT_MOUNT_TABLE_H

#include "service_conf.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define MOUNT_TABLE_PATH "/etc/keel/mounts"
#define MT_PATH_MAX	 256
#define MT_DIRS_MAX	 64
#define MT_IMAGES_MAX	 8
#define MT_SERIAL_MAX	 21 /* virtio-blk serials are at most 20 bytes */

struct mt_disk {
	bool present;
	char device[MT_PATH_MAX]; /* /dev/NAME */
	char target[MT_PATH_MAX]; /* absolute, no . or .. parts */
	char fstype[8];		  /* "ext4" */
	unsigned long flags;	  /* MS_*: always MS_NODEV | MS_NOSUID */
	bool format;		  /* a format job (an onboot bundle) exists */
	uid_t format_uid;	  /* its host uid (mapped root), never 0 */
	gid_t format_gid;
};

struct mt_dir {
	char path[MT_PATH_MAX];
	uid_t uid;
	gid_t gid;
	mode_t mode; /* permission bits only, no setuid/setgid */
};

/* A read-only system image (squashfs) a service's bundle uses; mounted
 * ro,nodev,nosuid before the services start, or that service is held. */
struct mt_image {
	char device[MT_PATH_MAX];	/* as written: /dev/NAME or serial:SERIAL */
	char serial[MT_SERIAL_MAX];	/* the SERIAL of serial:SERIAL, "" for /dev/NAME */
	char target[MT_PATH_MAX];	/* absolute, no . or .. parts */
	char service[SERVICE_NAME_MAX]; /* a valid service name */
};

struct mount_table {
	struct mt_disk disk;
	struct mt_dir dir[MT_DIRS_MAX];
	unsigned n_dir;
	struct mt_image image[MT_IMAGES_MAX];
	unsigned n_image;
};

/* Fills t from text; every bad line is skipped and reported through
 * bad(ctx, "FILE:LINE: reason"); returns the number of bad lines. */
unsigned mount_table_parse(const char *text, size_t len, const char *file, struct mount_table *t,
			   void (*bad)(const char *msg, void *ctx), void *ctx);

#endif
