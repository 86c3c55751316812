/* Mounts inside the container's mount namespace: the config's mounts and
 * /dev before pivot, the masked and read-only paths and the root's flags
 * after it. Every target is an fd (mount_at.c). */
#include "mounts.h"
#include "copyup.h"
#include "devices.h"
#include "io.h"
#include "mount_at.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* sysfs needs a network namespace owned by our user namespace, mqueue an ipc
 * one: without them the kernel refuses, and we bind the host's instead (as
 * runc does for rootless containers), read-only for sysfs. cgroup2 over such
 * a bound /sys is refused too (EBUSY): bind the container's own cgroup. */
static int mount_fallback(const struct launch *l, const struct cfg_mount *m, int rootfd,
			  struct kerr *err)
{
	if (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0)
		return l->cgroup_dir[0] ? mount_bind_fd(l->cgroup_dir, rootfd, m->dest, m->flags,
							false, err)
					: -EPERM;
	if (strcmp(m->type, "sysfs") == 0)
		return mount_bind_fd("/sys", rootfd, m->dest, m->flags | MS_RDONLY, true, err);
	if (strcmp(m->type, "mqueue") == 0)
		return mount_bind_fd("/dev/mqueue", rootfd, m->dest, m->flags, false, err);
	return -EPERM;
}

static int mount_fs(const struct launch *l, int rootfd, const struct cfg_mount *m, struct kerr *err)
{
	/* keel is cgroup v2 only: a "cgroup" mount is the unified hierarchy. */
	const char *type = strcmp(m->type, "cgroup") == 0 ? "cgroup2" : m->type;
	unsigned long flags = m->flags & ~(unsigned long)MS_REMOUNT;
	autoclose int fd = mount_target_open(rootfd, m->dest, true, false);
	char p[32];

	if (fd < 0)
		return kerr_set(err, -fd, "unable to create mount point %s", m->dest);
	if (mount(m->source ? m->source : type, fd_path(p, fd), type, flags, m->data) == 0)
		return 0;
	int e = errno;
	if ((e == EPERM || e == EACCES || e == EBUSY) && l->userns &&
	    mount_fallback(l, m, rootfd, err) == 0)
		return 0;
	return kerr_set(err, e, "unable to mount %s on %s", type, m->dest);
}

static int mount_one(const struct launch *l, int rootfd, const struct cfg_mount *m,
		     struct kerr *err)
{
	char src[PATH_MAX], p[32];
	int r;

	if (m->bind) {
		/* Relative sources are relative to the bundle, as in runc. */
		if ((size_t)snprintf(src, sizeof(src), "%s%s%s",
				     m->source[0] == '/' ? "" : l->bundle,
				     m->source[0] == '/' ? "" : "/", m->source) >= sizeof(src))
			return kerr_set(err, ENAMETOOLONG, "%s", m->source);
		r = mount_bind_fd(src, rootfd, m->dest, m->flags, m->rec, err);
	} else {
		autoclose int below = m->copyup ? copyup_open(rootfd, m->dest) : -1;
		r = mount_fs(l, rootfd, m, err);
		if (r == 0 && below >= 0)
			r = copyup_fill(below, rootfd, m->dest, err);
	}
	if (r < 0 || !m->propagation)
		return r;
	autoclose int fd = mount_target_open(rootfd, m->dest, false, false);
	if (fd < 0 || mount(NULL, fd_path(p, fd), NULL, m->propagation, NULL) < 0)
		return kerr_set(err, fd < 0 ? -fd : errno, "unable to set propagation of %s",
				m->dest);
	return 0;
}

int mounts_setup(const struct launch *l, struct kerr *err)
{
	autoclose int rootfd = -1;
	int r;

	/* Nothing we mount may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return kerr_set(err, errno, "unable to make / a slave mount");
	/* pivot_root needs the new root to be a mount point. */
	if (mount(l->rootfs, l->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return kerr_set(err, errno, "unable to bind the rootfs %s", l->rootfs);
	if ((rootfd = open(l->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return kerr_set(err, errno, "unable to open the rootfs %s", l->rootfs);
	for (size_t i = 0; i < l->cfg->n_mounts; i++)
		if ((r = mount_one(l, rootfd, &l->cfg->mounts[i], err)) < 0)
			return kerr_wrap(err, "mounts[%zu]", i);
	return devices_setup(rootfd, l, err);
}

/* After pivot_root "/" is the container's root. */
static int mask_path(const char *path, struct kerr *err)
{
	autoclose int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char p[32];

	if (fd < 0)
		return errno == ENOENT ? 0 : kerr_set(err, errno, "linux.maskedPaths: %s", path);
	if (fstat(fd, &st) < 0)
		return kerr_set(err, errno, "linux.maskedPaths: %s", path);
	if (S_ISDIR(st.st_mode) ? mount("tmpfs", fd_path(p, fd), "tmpfs", MS_RDONLY, "size=0")
				: mount("/dev/null", fd_path(p, fd), NULL, MS_BIND, NULL))
		return kerr_set(err, errno, "linux.maskedPaths: unable to mask %s", path);
	if (S_ISDIR(st.st_mode))
		return 0;
	/* Read-only too (as crun), so nothing can be written "into" it. */
	autoclose int mnt = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	int r = mnt < 0 ? -errno : remount_flags(fd_path(p, mnt), mnt, MS_RDONLY, 0);
	return r < 0 ? kerr_set(err, -r, "linux.maskedPaths: unable to remount %s", path) : 0;
}

static int readonly_path(const char *path, struct kerr *err)
{
	autoclose int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC), mnt = -1;
	char p[32];
	int r;

	if (fd < 0)
		return errno == ENOENT ? 0 : kerr_set(err, errno, "linux.readonlyPaths: %s", path);
	if (mount(fd_path(p, fd), fd_path(p, fd), NULL, MS_BIND | MS_REC, NULL) < 0)
		return kerr_set(err, errno, "linux.readonlyPaths: unable to bind %s", path);
	if ((mnt = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return kerr_set(err, errno, "linux.readonlyPaths: %s", path);
	if ((r = remount_flags(fd_path(p, mnt), mnt, MS_RDONLY, 0)) < 0)
		return kerr_set(err, -r, "linux.readonlyPaths: unable to remount %s", path);
	return 0;
}

int mounts_finish(const struct launch *l, struct kerr *err)
{
	const struct config *c = l->cfg;
	int r;

	for (size_t i = 0; i < c->n_masked; i++)
		if ((r = mask_path(c->masked[i], err)) < 0)
			return r;
	for (size_t i = 0; i < c->n_readonly; i++)
		if ((r = readonly_path(c->readonly[i], err)) < 0)
			return r;
	if (c->root_readonly) {
		autoclose int fd = open("/", O_PATH | O_CLOEXEC);
		if ((r = remount_flags("/", fd, MS_RDONLY, 0)) < 0)
			return kerr_set(err, -r, "root.readonly: unable to remount / read-only");
	}
	if (mount(NULL, "/", NULL,
		  c->rootfs_propagation ? c->rootfs_propagation : MS_REC | MS_PRIVATE, NULL) < 0)
		return kerr_set(err, errno, "linux.rootfsPropagation: unable to set it on /");
	return 0;
}
