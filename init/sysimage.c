/* See sysimage.h. The magic is checked before mount(2) so a disk of random
 * bytes gets "not a squashfs image" instead of EINVAL; the kernel's own
 * squashfs checks the rest (a corrupt image fails its mount). */
#include "sysimage.h"
#include "io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define SQUASHFS_MAGIC "hsqs" /* 0x73717368, little-endian, at offset 0 */
#define SYS_BLOCK      "/sys/block"
#define SYSIMAGE_FLAGS (MS_RDONLY | MS_NODEV | MS_NOSUID) /* exec allowed: it holds programs */

static int fail(char *why, size_t size, int err, const char *msg)
{
	snprintf(why, size, "%s", msg);
	return err;
}

/* The virtio-blk disk whose /sys/block/NAME/serial is serial, as /dev/NAME. */
static int find_serial(const char *serial, char *dev, size_t size)
{
	DIR *d = opendir(SYS_BLOCK);
	struct dirent *e;
	int r = -ENOENT;

	if (!d)
		return -errno;
	while (r == -ENOENT && (e = readdir(d))) {
		char path[300], text[64];
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SYS_BLOCK "/%s/serial", e->d_name);
		if ((n = read_file(path, text, sizeof(text))) <= 0)
			continue; /* not virtio-blk, or no serial */
		text[strcspn(text, "\n")] = '\0';
		if (!strcmp(text, serial) && snprintf(dev, size, "/dev/%s", e->d_name) < (int)size)
			r = 0;
	}
	closedir(d);
	return r;
}

static int check_magic(const char *dev, char *why, size_t size)
{
	autoclose int fd = open(dev, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	char magic[4];
	struct stat st;

	if (fd < 0)
		return fail(why, size, -errno, "unable to open the disk");
	if (fstat(fd, &st) < 0 || !S_ISBLK(st.st_mode))
		return fail(why, size, -ENOTBLK, "not a block device");
	if (read_all(fd, magic, sizeof(magic)) != (ssize_t)sizeof(magic) ||
	    memcmp(magic, SQUASHFS_MAGIC, sizeof(magic)) != 0)
		return fail(why, size, -EINVAL, "not a squashfs image");
	return 0;
}

/* mkdir -p: the mount point is below /system on the tmpfs root. */
static int make_mount_point(const char *target)
{
	char path[MT_PATH_MAX];

	snprintf(path, sizeof(path), "%s", target);
	for (char *s = strchr(path + 1, '/');; s = strchr(s + 1, '/')) {
		if (s)
			*s = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		if (!s)
			return 0;
		*s = '/';
	}
}

int sysimage_mount(const struct mt_image *im, char *why, size_t size)
{
	char dev[MT_PATH_MAX];
	int r;

	snprintf(dev, sizeof(dev), "%s", im->device);
	if (im->serial[0] && (r = find_serial(im->serial, dev, sizeof(dev))) < 0)
		return fail(why, size, r,
			    r == -ENOENT ? "no such disk" : "unable to read " SYS_BLOCK);
	if (!im->serial[0] && access(dev, F_OK) < 0)
		return fail(why, size, -errno, "no such disk");
	if ((r = check_magic(dev, why, size)) < 0)
		return r;
	if ((r = make_mount_point(im->target)) < 0) {
		snprintf(why, size, "unable to create %s: %s", im->target, strerror(-r));
		return r;
	}
	if (mount(dev, im->target, "squashfs", SYSIMAGE_FLAGS, NULL) < 0) {
		r = -errno;
		if (r == -ENODEV)
			return fail(why, size, r,
				    "the kernel has no squashfs (squashfs.ko not loaded)");
		snprintf(why, size, "%s: unable to mount: %s (a corrupt image?)", dev,
			 strerror(-r));
		return r;
	}
	snprintf(why, size, "%s mounted read-only on %s", dev, im->target);
	return 0;
}
