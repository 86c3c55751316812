/* See datadisk.h. The disk is read by PID 1 only at boot, before its loop
 * serves anyone, and at most 1 MiB of it (the blank check); everything else
 * is mkdir/mknod/chown/mount(2), each logged in one line when it fails. */
#include "datadisk.h"
#include "etc_file.h"
#include "io.h"
#include "log.h"
#include "mount_table.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define PROBE_BYTES	 (1024 * 1024)
#define EXT_MAGIC_OFFSET 1080 /* superblock at 1024, s_magic at +56 */

static struct mount_table table;
static bool prepared_ok; /* the disk is there and blank or ext4 */

int datadisk_classify(const char *device, enum disk_content *out)
{
	static unsigned char buf[64 * 1024];
	autoclose int fd = open(device, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	bool zero = true, ext = false;

	if (fd < 0)
		return -errno;
	for (size_t off = 0; off < PROBE_BYTES;) {
		ssize_t n = read_all(fd, buf, sizeof(buf));
		if (n < 0)
			return (int)n;
		if (off == 0 && n > EXT_MAGIC_OFFSET + 1)
			ext = buf[EXT_MAGIC_OFFSET] == 0x53 && buf[EXT_MAGIC_OFFSET + 1] == 0xef;
		for (ssize_t i = 0; i < n && zero; i++)
			zero = buf[i] == 0;
		if ((size_t)n < sizeof(buf))
			break;
		off += (size_t)n;
	}
	*out = zero ? DISK_BLANK : ext ? DISK_EXT4 : DISK_FOREIGN;
	return 0;
}

static void report_bad(const char *msg, void *ctx)
{
	(void)ctx;
	log_warn("%s (line skipped)", msg);
}

static void load_table(void)
{
	char *text = NULL;
	ssize_t n = etc_file_read(MOUNT_TABLE_PATH, 64 * 1024, &text);

	memset(&table, 0, sizeof(table));
	if (n < 0) {
		if (n != -ENOENT)
			log_warn("%s: unable to read: %s", MOUNT_TABLE_PATH,
				 n == -EINVAL ? "not a regular file" : strerror((int)-n));
		return;
	}
	mount_table_parse(text, (size_t)n, MOUNT_TABLE_PATH, &table, report_bad, NULL);
	free(text);
}

/* The disk's content, or -errno with the reason logged; -ENOENT: no disk. */
static int disk_state(const struct mt_disk *d, struct stat *st, enum disk_content *c)
{
	int r;

	if (stat(d->device, st) < 0) {
		r = -errno;
		if (r == -ENOENT)
			log_info("data: no %s: state directories live in RAM", d->device);
		else
			log_warn("data: %s: %s", d->device, strerror(-r));
		return r;
	}
	if (!S_ISBLK(st->st_mode)) {
		log_err("data: %s is not a block device: left alone", d->device);
		return -ENOTBLK;
	}
	if ((r = datadisk_classify(d->device, c)) < 0)
		log_warn("data: unable to read %s: %s", d->device, strerror(-r));
	else if (*c == DISK_FOREIGN)
		log_err("data: %s holds data that is not ext4 in its first MiB: never formatted, "
			"not mounted; state directories live in RAM",
			d->device);
	return r;
}

/* A fresh node, not /dev/DEVICE itself: nothing else of /dev changes owner. */
static void hand_to_format_job(const struct mt_disk *d, const struct stat *st)
{
	if (mknod(DATADISK_FORMAT_NODE, S_IFBLK | 0600, st->st_rdev) < 0) {
		log_warn("data: unable to create %s: %m", DATADISK_FORMAT_NODE);
		return;
	}
	if (chown(DATADISK_FORMAT_NODE, d->format_uid, d->format_gid) < 0) {
		log_warn("data: unable to chown %s: %m", DATADISK_FORMAT_NODE);
		(void)unlink(DATADISK_FORMAT_NODE); /* root's node is useless to the job */
		return;
	}
	log_info("data: %s is blank: handed to its format job (uid %u)", d->device,
		 (unsigned)d->format_uid);
}

void datadisk_prepare(const struct init_config *cfg)
{
	const struct mt_disk *d = &table.disk;
	enum disk_content c;
	struct stat st;

	if (!init_is_machine(cfg))
		return;
	load_table();
	if (!d->present)
		return;
	/* Always there when a disk is declared: the format job binds it. */
	if (mkdir(DATADISK_FORMAT_DIR, 0755) < 0 && errno != EEXIST)
		log_warn("data: unable to create %s: %m", DATADISK_FORMAT_DIR);
	if (disk_state(d, &st, &c) < 0 || c == DISK_FOREIGN)
		return;
	prepared_ok = true;
	if (c == DISK_BLANK && d->format)
		hand_to_format_job(d, &st);
}

static void mount_disk(const struct mt_disk *d)
{
	enum disk_content c;
	int r;

	if (!prepared_ok)
		return; /* absent, unreadable or foreign: said by datadisk_prepare */
	if ((r = datadisk_classify(d->device, &c)) < 0) {
		log_warn("data: unable to read %s: %s", d->device, strerror(-r));
		return;
	}
	if (c != DISK_EXT4) {
		log_err("data: %s is %s after the onboot jobs (its format job failed?): not "
			"mounted; state directories live in RAM",
			d->device, c == DISK_BLANK ? "still blank" : "not ext4");
		return;
	}
	if (mkdir(d->target, 0755) < 0 && errno != EEXIST)
		log_warn("data: unable to create %s: %m", d->target);
	if (mount(d->device, d->target, d->fstype, d->flags, NULL) < 0) {
		log_err("data: unable to mount %s on %s: %m", d->device, d->target);
		return;
	}
	log_info("data: %s mounted on %s", d->device, d->target);
}

/* Made or fixed each boot; opened O_NOFOLLOW so a symlink left in its place
 * cannot redirect the chown. */
static void make_dir(const struct mt_dir *m)
{
	autoclose int fd = -1;

	if (mkdir(m->path, m->mode) < 0 && errno != EEXIST) {
		log_warn("%s: unable to create %s: %m", MOUNT_TABLE_PATH, m->path);
		return;
	}
	fd = open(m->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchown(fd, m->uid, m->gid) < 0 || fchmod(fd, m->mode) < 0)
		log_warn("%s: unable to set owner/mode of %s: %m", MOUNT_TABLE_PATH, m->path);
}

void datadisk_mount(const struct init_config *cfg)
{
	if (!init_is_machine(cfg))
		return;
	if (table.disk.present) {
		/* Taken back before anything is mounted: the job is done. */
		if (unlink(DATADISK_FORMAT_NODE) < 0 && errno != ENOENT)
			log_warn("data: unable to remove %s: %m", DATADISK_FORMAT_NODE);
		if (rmdir(DATADISK_FORMAT_DIR) < 0 && errno != ENOENT)
			log_warn("data: unable to remove %s: %m", DATADISK_FORMAT_DIR);
		mount_disk(&table.disk);
	}
	for (unsigned i = 0; i < table.n_dir; i++)
		make_dir(&table.dir[i]);
}
