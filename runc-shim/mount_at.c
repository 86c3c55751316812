/* Mount primitives that work on fds, shared by mounts.c and devices.c.
 * Destinations are opened with openat2(RESOLVE_IN_ROOT) and mounted through
 * /proc/self/fd/N, so a symlink in the rootfs cannot redirect a mount onto
 * the host. In a user namespace a bind remount must keep the flags the
 * kernel locked on the source (nosuid, nodev, noexec, ro, atime): we read
 * and re-add them. */
#include "mount_at.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
int remount_flags(const char *path, int fd, unsigned long flags, unsigned long clear)
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
