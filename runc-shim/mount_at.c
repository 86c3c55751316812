/* Mount primitives that work on fds, shared by mounts.c and devices.c.
 * Destinations are opened with openat2(RESOLVE_IN_ROOT) and mounted through
 * /proc/self/fd/N, so a symlink in the rootfs cannot redirect a mount onto
 * the host. Binds and remounts use the new mount API on fds (open_tree,
 * mount_setattr, move_mount): flags go on the detached copy, and nothing
 * is resolved again by path after it was checked (CVE-2021-30465 class). */
#include "mount_at.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <linux/mount.h>
#include <sys/stat.h>
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

/* MS_* flags → MOUNT_ATTR_* (the atime ones are a value, not bits). */
static uint64_t attr_of(unsigned long ms, uint64_t *atime_clr)
{
	static const struct {
		unsigned long ms;
		uint64_t attr;
	} map[] = {
	    {MS_RDONLY, MOUNT_ATTR_RDONLY},	    {MS_NOSUID, MOUNT_ATTR_NOSUID},
	    {MS_NODEV, MOUNT_ATTR_NODEV},	    {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
	    {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
	    {MS_NOATIME, MOUNT_ATTR_NOATIME},	    {MS_STRICTATIME, MOUNT_ATTR_STRICTATIME},
	};
	uint64_t a = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (ms & map[i].ms)
			a |= map[i].attr;
	if (ms & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME))
		*atime_clr = MOUNT_ATTR__ATIME; /* changing the value clears the old */
	return a;
}

static int setattr(int mnt, unsigned at, uint64_t set, uint64_t clr, uint64_t propagation)
{
	struct mount_attr a = {.attr_set = set, .attr_clr = clr, .propagation = propagation};

	if (syscall(SYS_mount_setattr, mnt, "", AT_EMPTY_PATH | at, &a, sizeof(a)) < 0)
		return -errno;
	return 0;
}

int mount_set_flags(int mnt, bool recursive, unsigned long flags, unsigned long clear)
{
	uint64_t atime = 0, set = attr_of(flags, &atime), clr = attr_of(clear, &atime) | atime;
	unsigned at = recursive ? AT_RECURSIVE : 0;
	int r;

	if (!set && !clr)
		return 0;
	/* Only what is asked changes: the flags the kernel locked in a user
	 * namespace stay. Clearing one of those is refused: keep it then. */
	if ((r = setattr(mnt, at, set, clr, 0)) == -EPERM && clr)
		r = setattr(mnt, at, set & ~(uint64_t)MOUNT_ATTR__ATIME, 0, 0);
	return r;
}

int mount_set_propagation(int mnt, unsigned long propagation)
{
	unsigned long type = propagation & ~(unsigned long)MS_REC;

	if (!type)
		return 0;
	return setattr(mnt, propagation & MS_REC ? AT_RECURSIVE : 0, 0, 0, type);
}

int mount_clone_tree(int dirfd, const char *path, bool recursive)
{
	int fd = (int)syscall(SYS_open_tree, dirfd, path,
			      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (*path ? 0 : AT_EMPTY_PATH) |
				  (recursive ? AT_RECURSIVE : 0));

	return fd < 0 ? -errno : fd;
}

int mount_move_onto(int mnt, int target)
{
	if (syscall(SYS_move_mount, mnt, "", target, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return -errno;
	return 0;
}

/* The detached copy of src gets its flags before it is attached (no
 * window, no path to resolve again), then its propagation. */
int mount_bind_fd(const char *src, int rootfd, const char *dest, const struct bind_opts *o,
		  struct kerr *err)
{
	struct stat st;
	autoclose int fd = -1, mnt = -1;
	int r;

	if (stat(src, &st) < 0)
		return kerr_set(err, errno, "unable to bind %s", src);
	if ((fd = mount_target_open(rootfd, dest, true, !S_ISDIR(st.st_mode))) < 0)
		return kerr_set(err, -fd, "unable to create mount point %s", dest);
	if ((mnt = mount_clone_tree(AT_FDCWD, src, o->rec)) < 0)
		return kerr_set(err, -mnt, "unable to bind %s on %s", src, dest);
	if ((r = mount_set_flags(mnt, false, o->flags, o->clear)) < 0 ||
	    (r = mount_set_flags(mnt, true, o->rflags, o->rclear)) < 0)
		return kerr_set(err, -r, "unable to set the flags of %s", dest);
	if ((r = mount_move_onto(mnt, fd)) < 0)
		return kerr_set(err, -r, "unable to bind %s on %s", src, dest);
	if ((r = mount_set_propagation(mnt, o->propagation)) < 0)
		return kerr_set(err, -r, "unable to set propagation of %s", dest);
	return 0;
}
