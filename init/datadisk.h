/* The data disk, the system images and the directories of /etc/keel/mounts
 * (docs/image.md). PID 1 never reads a disk nor mounts one itself: each
 * step runs in a worker child with a deadline (diskwork.h), and the
 * supervisor is held at a gate until the step reported or timed out:
 *   datadisk_prepare  before onboot: a disk whose first MiB is all zero is
 *                     handed to its unprivileged format job as one device
 *                     node in FORMAT_DIR, owned by the job's mapped root;
 *                     the image worker starts too (it runs during onboot);
 *   datadisk_mount    after onboot, before services: the node is taken back,
 *                     an ext4 disk is mounted, the dir lines are made; the
 *                     gate opens once the images are mounted too.
 * A disk holding anything else is never given to a job nor mounted; a
 * service whose image did not mount is held back with the reason. */
#ifndef KEEL_INIT_DATADISK_H
#define KEEL_INIT_DATADISK_H

#include "config.h"

#include <stdbool.h>

/* On devtmpfs (no nodev there, /run has it); bound to /dev/disk in the job. */
#define DATADISK_FORMAT_DIR  "/dev/keel-format"
#define DATADISK_FORMAT_NODE DATADISK_FORMAT_DIR "/disk"

enum disk_content { DISK_BLANK, DISK_EXT4, DISK_FOREIGN };

/* Classifies a device's first MiB; 0 or -errno. Worker child only. */
int datadisk_classify(const char *device, enum disk_content *out);

/* What the steps tell the layer above (main wires them to the supervisor). */
struct datadisk_hooks {
	void (*release)(void); /* a step datadisk_prepare/mount left pending ended */
	void (*hold)(const char *service, const char *why); /* its image is missing */
};

/* Each returns true when a worker runs and hooks->release comes later,
 * false when the step is done (nothing to do, or the worker could not
 * start: logged, boot goes on). */
bool datadisk_prepare(const struct init_config *cfg, const struct datadisk_hooks *hooks);
bool datadisk_mount(void);

#endif
