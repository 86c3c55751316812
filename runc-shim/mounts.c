/* Mounts inside the container's mount namespace. Destinations are opened
 * with openat2(RESOLVE_IN_ROOT) and mounted through /proc/self/fd/N, so a
 * symlink in the rootfs cannot redirect a mount onto the host. In a user
 * namespace a bind remount must keep the flags the kernel locked on the
 * source (nosuid, nodev, noexec, ro, atime): we read and re-add them. */
#include "mounts.h"
#include "copyup.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *fd_path(char buf[32], int fd)
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
	return buf;
}

static int open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
			       .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : fd;
}

/* Creates one missing entry: the parent is resolved inside the root and
 * the entry made relative to that fd, so no symlink leads out. */
static int ensure_entry(int rootfd, const char *prefix, bool as_file)
{
	const char *slash = strrchr(prefix, '/');
	char dir[PATH_MAX];
	autoclose int parent = -1;
	int fd = open_in_root(rootfd, prefix, O_PATH);

	if (fd >= 0)
		close(fd);
	if (fd != -ENOENT)
		return fd < 0 ? fd : 0;
	memcpy(dir, prefix, (size_t)(slash - prefix) + 1);
	dir[slash - prefix + 1] = '\0';
	if ((parent = open_in_root(rootfd, dir, O_PATH | O_DIRECTORY)) < 0)
		return parent;
	if (!as_file)
		return mkdirat(parent, slash + 1, 0755) < 0 && errno != EEXIST ? -errno : 0;
	fd = openat(parent, slash + 1, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* mkdir -p inside the root (path is absolute), the last entry a file when
 * as_file (a bind target). */
static int create_parents(int rootfd, const char *path, bool as_file)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if ((buf[i] != '/' && buf[i] != '\0') || buf[i - 1] == '/')
			continue;
		char saved = buf[i];
		buf[i] = '\0';
		int r = ensure_entry(rootfd, buf, saved == '\0' && as_file);
		buf[i] = saved;
		if (r < 0)
			return r;
	}
	return 0;
}

int mount_target_open(int rootfd, const char *path, bool create, bool as_file)
{
	int fd = open_in_root(rootfd, path, O_PATH);

	if (fd == -ENOENT && create) {
		int r = create_parents(rootfd, path, as_file);
		if (r < 0)
			return r;
		fd = open_in_root(rootfd, path, O_PATH);
	}
	return fd;
}

static unsigned long locked_flags(int fd)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {
	    {ST_RDONLY, MS_RDONLY},	{ST_NOSUID, MS_NOSUID},	  {ST_NODEV, MS_NODEV},
	    {ST_NOEXEC, MS_NOEXEC},	{ST_NOATIME, MS_NOATIME}, {ST_NODIRATIME, MS_NODIRATIME},
	    {ST_RELATIME, MS_RELATIME},
	};
	struct statvfs sv;
	unsigned long ms = 0;

	if (fstatvfs(fd, &sv) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			ms |= map[i].ms;
	return ms;
}

/* Remounts the mount at path with flags | its locked flags. */
static int remount_flags(const char *path, int fd, unsigned long flags, unsigned long clear)
{
	unsigned long f = (locked_flags(fd) & ~clear) | flags;

	if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | f, NULL) == 0)
		return 0;
	/* Clearing a locked flag is refused; keep the source's then. */
	if (errno == EPERM &&
	    mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | locked_flags(fd) | flags, NULL) == 0)
		return 0;
	return -errno;
}

int mount_bind_fd(const char *src, int rootfd, const char *dest, unsigned long flags, bool rec,
		  struct kerr *err)
{
	struct stat st;
	char p[32];
	autoclose int fd = -1, mnt = -1;
	int r;

	if (stat(src, &st) < 0)
		return kerr_set(err, errno, "unable to bind %s", src);
	if ((fd = mount_target_open(rootfd, dest, true, !S_ISDIR(st.st_mode))) < 0)
		return kerr_set(err, -fd, "unable to create mount point %s", dest);
	if (mount(src, fd_path(p, fd), NULL, MS_BIND | (rec ? MS_REC : 0), NULL) < 0)
		return kerr_set(err, errno, "unable to bind %s on %s", src, dest);
	flags &= ~(unsigned long)(MS_BIND | MS_REC | MS_REMOUNT);
	if (!flags)
		return 0;
	/* The old fd is the covered inode; reopen to reach the new mount. */
	if ((mnt = mount_target_open(rootfd, dest, false, false)) < 0)
		return kerr_set(err, -mnt, "unable to reopen %s", dest);
	if ((r = remount_flags(fd_path(p, mnt), mnt, flags, 0)) < 0)
		return kerr_set(err, -r, "unable to remount %s", dest);
	return 0;
}

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
