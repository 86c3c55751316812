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
	struct bind_opts o = {.flags = m->flags, .propagation = MS_PRIVATE};

	if (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0)
		return l->cgroup_dir[0] ? mount_bind_fd(l->cgroup_dir, rootfd, m->dest, &o, err)
					: -EPERM;
	if (strcmp(m->type, "mqueue") == 0)
		return mount_bind_fd("/dev/mqueue", rootfd, m->dest, &o, err);
	if (strcmp(m->type, "sysfs") != 0)
		return -EPERM;
	o.flags |= MS_RDONLY;
	o.rflags = MS_RDONLY; /* the host's submounts too */
	o.rec = true;
	o.propagation = MS_PRIVATE | MS_REC;
	return mount_bind_fd("/sys", rootfd, m->dest, &o, err);
}

static int mount_fs(const struct launch *l, int rootfd, const struct cfg_mount *m, struct kerr *err)
{
	/* keel is cgroup v2 only: a "cgroup" mount is the unified hierarchy. */
	const char *type = strcmp(m->type, "cgroup") == 0 ? "cgroup2" : m->type;
	/* A new mount has no submounts yet: rro is ro, rnosuid nosuid, ... */
	unsigned long flags = ((m->flags | m->rflags) & ~m->rclear) & ~(unsigned long)MS_REMOUNT;
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
	struct bind_opts o = {m->flags & ~(unsigned long)(MS_BIND | MS_REC | MS_REMOUNT),
			      m->clear, m->rflags, m->rclear, m->propagation, m->rec};
	char src[PATH_MAX];
	int r;

	if (m->bind) {
		/* Relative sources are relative to the bundle, as in runc. */
		if ((size_t)snprintf(src, sizeof(src), "%s%s%s",
				     m->source[0] == '/' ? "" : l->bundle,
				     m->source[0] == '/' ? "" : "/", m->source) >= sizeof(src))
			return kerr_set(err, ENAMETOOLONG, "%s", m->source);
		/* Not told otherwise, a bind is private like the rest of the
		 * root: it must not keep receiving the host's mounts. */
		if (!o.propagation)
			o.propagation = MS_PRIVATE | (m->rec ? MS_REC : 0);
		return mount_bind_fd(src, rootfd, m->dest, &o, err);
	}
	autoclose int below = m->copyup ? copyup_open(rootfd, m->dest) : -1;
	if ((r = mount_fs(l, rootfd, m, err)) == 0 && below >= 0)
		r = copyup_fill(below, rootfd, m->dest, err);
	if (r < 0 || !m->propagation)
		return r;
	/* A new filesystem's mount: mount(2) gave us no fd of it, so this
	 * opens dest again (inside the root, before anything runs there). */
	autoclose int fd = mount_target_open(rootfd, m->dest, false, false);
	if (fd < 0 || (r = mount_set_propagation(fd, m->propagation)) < 0)
		return kerr_set(err, fd < 0 ? -fd : -r, "unable to set propagation of %s",
				m->dest);
	return 0;
}

static unsigned long root_propagation(const struct config *c)
{
	return c->rootfs_propagation ? c->rootfs_propagation : MS_REC | MS_PRIVATE;
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
	/* The root's propagation now, so that each mount's own, set as it is
	 * mounted, stays. A shared root cannot be pivoted into: that one is
	 * set after pivot_root (mounts_finish). */
	if (!(root_propagation(l->cfg) & MS_SHARED) &&
	    (r = mount_set_propagation(rootfd, root_propagation(l->cfg))) < 0)
		return kerr_set(err, -r, "linux.rootfsPropagation: unable to set it");
	for (size_t i = 0; i < l->cfg->n_mounts; i++)
		if ((r = mount_one(l, rootfd, &l->cfg->mounts[i], err)) < 0)
			return kerr_wrap(err, "mounts[%zu]", i);
	return devices_setup(rootfd, l, err);
}

/* After pivot_root "/" is the container's root. */

/* A detached copy of the mount at src (dirfd "" or a path), read-only,
 * moved onto the fd target: nothing is resolved again by path. */
static int bind_readonly(int dirfd, const char *src, int target, bool recursive)
{
	autoclose int mnt = mount_clone_tree(dirfd, src, recursive);
	int r;

	if (mnt < 0)
		return mnt;
	if ((r = mount_set_flags(mnt, false, MS_RDONLY, 0)) < 0)
		return r;
	return mount_move_onto(mnt, target);
}

static int mask_path(const char *path, struct kerr *err)
{
	autoclose int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char p[32];
	int r;

	if (fd < 0)
		return errno == ENOENT ? 0 : kerr_set(err, errno, "linux.maskedPaths: %s", path);
	if (fstat(fd, &st) < 0)
		return kerr_set(err, errno, "linux.maskedPaths: %s", path);
	/* /proc was checked to be procfs (pivot_check_proc). */
	if (S_ISDIR(st.st_mode) && mount("tmpfs", fd_path(p, fd), "tmpfs", MS_RDONLY, "size=0"))
		return kerr_set(err, errno, "linux.maskedPaths: unable to mask %s", path);
	/* Files: a read-only /dev/null (as crun), nothing can be written "into" it. */
	if (!S_ISDIR(st.st_mode) && (r = bind_readonly(AT_FDCWD, "/dev/null", fd, false)) < 0)
		return kerr_set(err, -r, "linux.maskedPaths: unable to mask %s", path);
	return 0;
}

static int readonly_path(const char *path, struct kerr *err)
{
	autoclose int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	int r;

	if (fd < 0)
		return errno == ENOENT ? 0 : kerr_set(err, errno, "linux.readonlyPaths: %s", path);
	if ((r = bind_readonly(fd, "", fd, true)) < 0)
		return kerr_set(err, -r, "linux.readonlyPaths: unable to make %s read-only", path);
	return 0;
}

int mounts_finish(const struct launch *l, struct kerr *err)
{
	const struct config *c = l->cfg;
	autoclose int root = -1;
	int r;

	for (size_t i = 0; i < c->n_masked; i++)
		if ((r = mask_path(c->masked[i], err)) < 0)
			return r;
	for (size_t i = 0; i < c->n_readonly; i++)
		if ((r = readonly_path(c->readonly[i], err)) < 0)
			return r;
	if ((root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return kerr_set(err, errno, "unable to open /");
	if (c->root_readonly && (r = mount_set_flags(root, false, MS_RDONLY, 0)) < 0)
		return kerr_set(err, -r, "root.readonly: unable to make / read-only");
	if ((root_propagation(c) & MS_SHARED) &&
	    (r = mount_set_propagation(root, root_propagation(c))) < 0)
		return kerr_set(err, -r, "linux.rootfsPropagation: unable to set it on /");
	return 0;
}
