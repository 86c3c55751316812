/* The data disk and the directories of /etc/keel/mounts, done by PID 1 in
 * two boot steps around the onboot jobs (docs/image.md):
 *   datadisk_prepare  before onboot: a disk whose first MiB is all zero is
 *                     handed to its unprivileged format job as one device
 *                     node in FORMAT_DIR, owned by the job's mapped root;
 *   datadisk_mount    after onboot, before services: the node is taken back,
 *                     an ext4 disk is mounted, the dir lines are made.
 * A disk holding anything else is never given to a job nor mounted. */
#ifndef KEEL_INIT_DATADISK_H
#define KEEL_INIT_DATADISK_H

#include "config.h"

/* On devtmpfs (no nodev there, /run has it); bound to /dev/disk in the job. */
#define DATADISK_FORMAT_DIR  "/dev/keel-format"
#define DATADISK_FORMAT_NODE DATADISK_FORMAT_DIR "/disk"

enum disk_content { DISK_BLANK, DISK_EXT4, DISK_FOREIGN };

/* Classifies a device's first MiB; 0 or -errno. */
int datadisk_classify(const char *device, enum disk_content *out);

void datadisk_prepare(const struct init_config *cfg);
void datadisk_mount(const struct init_config *cfg);

#endif
