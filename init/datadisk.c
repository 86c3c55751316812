/* See datadisk.h. PID 1's part is only bookkeeping: it loads the table,
 * starts workers, takes their results and opens the supervisor's gate. The
 * worker children (the *_child functions, forked copies of PID 1 that see
 * the same table) do every read, mknod, chown, mkdir and mount, and report
 * each failure as one line PID 1 logs. */
#include "datadisk.h"
#include "diskwork.h"
#include "etc_file.h"
#include "io.h"
#include "log.h"
#include "mount_table.h"
#include "sysimage.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define PROBE_BYTES	 (1024 * 1024)
#define EXT_MAGIC_OFFSET 1080 /* superblock at 1024, s_magic at +56 */
#define RAM_NOTE	 "state directories live in RAM"

static struct mount_table table;
static const struct datadisk_hooks *dd_hooks;
static int64_t dd_timeout_ms;
static bool prepared_ok; /* the disk is there and blank or ext4 */
static bool images_done = true, mount_done = true;
static bool mount_waiting; /* datadisk_mount returned pending: release later */
static bool image_seen[MT_IMAGES_MAX];

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

/* /etc is on the tmpfs root: PID 1 may read it itself. */
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

/* ---- in the worker children ---- */

/* The disk's content, or -errno with the reason sent; -ENOENT: no disk. */
static int disk_state(const struct mt_disk *d, struct stat *st, enum disk_content *c)
{
	int r;

	if (stat(d->device, st) < 0) {
		r = -errno;
		dw_send(r == -ENOENT ? DW_INFO : DW_WARN, 0, 0, "data: %s: %s: " RAM_NOTE,
			d->device, r == -ENOENT ? "no such disk" : strerror(-r));
		return r;
	}
	if (!S_ISBLK(st->st_mode)) {
		dw_send(DW_ERR, 0, 0, "data: %s is not a block device: left alone", d->device);
		return -ENOTBLK;
	}
	dw_send(DW_STEP, 0, 0, "reading the first MiB of %s", d->device);
	if ((r = datadisk_classify(d->device, c)) < 0)
		dw_send(DW_WARN, 0, 0, "data: unable to read %s: %s", d->device, strerror(-r));
	else if (*c == DISK_FOREIGN)
		dw_send(DW_ERR, 0, 0,
			"data: %s holds data that is not ext4 in its first MiB: never formatted, "
			"not mounted; " RAM_NOTE,
			d->device);
	return r;
}

/* A fresh node, not /dev/DEVICE itself: nothing else of /dev changes owner. */
static void hand_to_format_job(const struct mt_disk *d, const struct stat *st)
{
	if (mknod(DATADISK_FORMAT_NODE, S_IFBLK | 0600, st->st_rdev) < 0) {
		dw_send(DW_WARN, 0, 0, "data: unable to create %s: %s", DATADISK_FORMAT_NODE,
			strerror(errno));
		return;
	}
	if (chown(DATADISK_FORMAT_NODE, d->format_uid, d->format_gid) < 0) {
		dw_send(DW_WARN, 0, 0, "data: unable to chown %s: %s", DATADISK_FORMAT_NODE,
			strerror(errno));
		(void)unlink(DATADISK_FORMAT_NODE); /* root's node is useless to the job */
		return;
	}
	dw_send(DW_INFO, 0, 0, "data: %s is blank: handed to its format job (uid %u)", d->device,
		(unsigned)d->format_uid);
}

static void probe_child(const void *arg)
{
	const struct mt_disk *d = &table.disk;
	enum disk_content c;
	struct stat st;

	(void)arg;
	if (disk_state(d, &st, &c) < 0 || c == DISK_FOREIGN)
		return; /* no DW_RESULT: not prepared */
	if (c == DISK_BLANK && d->format)
		hand_to_format_job(d, &st);
	dw_send(DW_RESULT, 0, 0, "ok");
}

static void image_child(const void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < table.n_image; i++) {
		const struct mt_image *im = &table.image[i];
		char why[200];
		int r;

		dw_send(DW_STEP, 0, 0, "mounting %s on %s", im->device, im->target);
		r = sysimage_mount(im, why, sizeof(why));
		dw_send(DW_RESULT, i, r, "%s", why);
	}
}

static void mount_disk(const struct mt_disk *d)
{
	enum disk_content c;
	int r;

	dw_send(DW_STEP, 0, 0, "reading the first MiB of %s", d->device);
	if ((r = datadisk_classify(d->device, &c)) < 0) {
		dw_send(DW_WARN, 0, 0, "data: unable to read %s: %s", d->device, strerror(-r));
		return;
	}
	if (c != DISK_EXT4) {
		dw_send(DW_ERR, 0, 0,
			"data: %s is %s after the onboot jobs (its format job failed?): not "
			"mounted; " RAM_NOTE,
			d->device, c == DISK_BLANK ? "still blank" : "not ext4");
		return;
	}
	if (mkdir(d->target, 0755) < 0 && errno != EEXIST)
		dw_send(DW_WARN, 0, 0, "data: unable to create %s: %s", d->target, strerror(errno));
	dw_send(DW_STEP, 0, 0, "mounting %s on %s", d->device, d->target);
	if (mount(d->device, d->target, d->fstype, d->flags, NULL) < 0) {
		dw_send(DW_ERR, 0, 0, "data: unable to mount %s on %s: %s", d->device, d->target,
			strerror(errno));
		return;
	}
	dw_send(DW_INFO, 0, 0, "data: %s mounted on %s", d->device, d->target);
}

/* Made or fixed each boot; opened O_NOFOLLOW so a symlink left in its place
 * cannot redirect the chown. */
static void make_dir(const struct mt_dir *m)
{
	autoclose int fd = -1;

	dw_send(DW_STEP, 0, 0, "making %s", m->path);
	if (mkdir(m->path, m->mode) < 0 && errno != EEXIST) {
		dw_send(DW_WARN, 0, 0, "%s: unable to create %s: %s", MOUNT_TABLE_PATH, m->path,
			strerror(errno));
		return;
	}
	fd = open(m->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchown(fd, m->uid, m->gid) < 0 || fchmod(fd, m->mode) < 0)
		dw_send(DW_WARN, 0, 0, "%s: unable to set owner/mode of %s: %s", MOUNT_TABLE_PATH,
			m->path, strerror(errno));
}

/* arg non-NULL: mount the disk first; NULL: only the dirs (in RAM). */
static void mount_child(const void *arg)
{
	if (arg && table.disk.present && prepared_ok)
		mount_disk(&table.disk);
	for (unsigned i = 0; i < table.n_dir; i++)
		make_dir(&table.dir[i]);
}

/* ---- in PID 1 ---- */

static void no_result(const struct dw_record *r)
{
	(void)r;
}

static void probe_result(const struct dw_record *r)
{
	prepared_ok = r->err == 0;
}

static void probe_end(bool timed_out)
{
	if (timed_out)
		log_err("data: %s not probed in time: not handed to a job, not mounted; " RAM_NOTE,
			table.disk.device);
	dd_hooks->release();
}

static void hold_image(unsigned i, const char *why)
{
	char msg[400];

	snprintf(msg, sizeof(msg), "missing its image: %s: %s", table.image[i].device, why);
	dd_hooks->hold(table.image[i].service, msg);
}

static void image_result(const struct dw_record *r)
{
	if (r->index >= table.n_image || image_seen[r->index])
		return;
	image_seen[r->index] = true;
	if (r->err < 0)
		hold_image(r->index, r->text);
	else
		log_info("image: %s", r->text);
}

static void maybe_release(void)
{
	if (mount_waiting && images_done && mount_done) {
		mount_waiting = false;
		dd_hooks->release();
	}
}

static void image_end(bool timed_out)
{
	for (unsigned i = 0; i < table.n_image; i++)
		if (!image_seen[i])
			hold_image(i, timed_out ? "its mount did not finish in time"
						: "the disk worker ended without a result");
	images_done = true;
	maybe_release();
}

/* The workers: what the child does, what PID 1 does with its report. */
static void mount_end(bool timed_out);
static void dirs_end(bool timed_out);
static const struct dw_job probe_job = {"data disk probe", probe_child, NULL, probe_result,
					probe_end};
static const struct dw_job image_job = {"system image mount", image_child, NULL, image_result,
					image_end};
static const struct dw_job mount_job = {"data disk mount", mount_child, &table, no_result,
					mount_end};
static const struct dw_job dirs_job = {"state directories", mount_child, NULL, no_result, dirs_end};
static struct diskwork probe_work, image_work, mount_work, dirs_work;

static bool start(struct diskwork *w, const struct dw_job *job)
{
	int r = diskwork_start(w, job, dd_timeout_ms);

	if (r < 0)
		log_err("%s: unable to start its worker: %s; skipped", job->what, strerror(-r));
	return r == 0;
}

static void mount_end(bool timed_out)
{
	/* The mount may still finish later: the dirs go where the kernel says
	 * then, made by one more worker so a late disk cannot stall PID 1. */
	if (timed_out && table.n_dir && start(&dirs_work, &dirs_job))
		return;
	mount_done = true;
	maybe_release();
}

static void dirs_end(bool timed_out)
{
	(void)timed_out;
	mount_done = true;
	maybe_release();
}

bool datadisk_prepare(const struct init_config *cfg, const struct datadisk_hooks *hooks)
{
	if (!init_is_machine(cfg))
		return false;
	dd_hooks = hooks;
	dd_timeout_ms = (int64_t)cfg->disk_timeout_s * 1000;
	load_table();
	if (table.n_image) { /* mounted while the onboot jobs run */
		images_done = false;
		if (!start(&image_work, &image_job))
			image_end(false);
	}
	if (!table.disk.present)
		return false;
	/* Always there when a disk is declared: the format job binds it.
	 * devtmpfs, in RAM: PID 1 may do this itself. */
	if (mkdir(DATADISK_FORMAT_DIR, 0755) < 0 && errno != EEXIST)
		log_warn("data: unable to create %s: %m", DATADISK_FORMAT_DIR);
	return start(&probe_work, &probe_job);
}

bool datadisk_mount(void)
{
	if (!dd_hooks)
		return false; /* not the machine's init */
	if (table.disk.present) {
		/* Taken back before anything is mounted: the job is done. */
		if (unlink(DATADISK_FORMAT_NODE) < 0 && errno != ENOENT)
			log_warn("data: unable to remove %s: %m", DATADISK_FORMAT_NODE);
		if (rmdir(DATADISK_FORMAT_DIR) < 0 && errno != ENOENT)
			log_warn("data: unable to remove %s: %m", DATADISK_FORMAT_DIR);
	}
	if (table.disk.present || table.n_dir)
		mount_done = !start(&mount_work, &mount_job);
	mount_waiting = !(images_done && mount_done);
	return mount_waiting;
}
