/* Copy rootfs into a tmpfs and move it over /. The copy is complete before
 * anything is deleted: a failed copy (e.g. tmpfs full) leaves the old root
 * intact and boot continues on it. Only entries on rootfs's own device are
 * copied or deleted, so the new tmpfs (mounted inside rootfs) is never
 * descended into. */
#include "switch_root.h"
#include "io.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define NEW_ROOT      "/.keel-root"
#define MAX_HARDLINKS 128

/* Hard links are kept (an image stores busybox once for several bundles):
 * the first copy of an inode with st_nlink > 1 is remembered by an O_PATH fd
 * and later names are linkat(AT_EMPTY_PATH) to it. */
static struct {
	dev_t dev;
	ino_t ino;
	int fd;
} hardlinks[MAX_HARDLINKS];
static size_t nhardlinks;

/* Only the initial rootfs shows fstype "rootfs" in mountinfo; a tmpfs moved
 * over / (after this switch) shows "tmpfs". /proc is mounted just to look. */
static bool root_is_rootfs(void)
{
	autofree char *info = NULL;
	bool mounted, found = false;
	char *save = NULL;

	(void)mkdir("/proc", 0555); /* EEXIST is the normal case */
	mounted = mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0;
	if (read_file_alloc("/proc/self/mountinfo", 1 << 20, &info) >= 0)
		for (char *l = strtok_r(info, "\n", &save); l && !found;
		     l = strtok_r(NULL, "\n", &save))
			found = strstr(l, " / / ") && strstr(l, " - rootfs ");
	if (mounted && umount2("/proc", 0) < 0)
		log_warn("unable to unmount the temporary /proc: %m");
	return found;
}

static int copy_data(int src, int dst, off_t size)
{
	while (size > 0) {
		ssize_t n = sendfile(dst, src, NULL, (size_t)size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		size -= n;
	}
	return 0;
}

static int copy_file(int sdir, int ddir, const char *name, const struct stat *st)
{
	autoclose int src = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	autoclose int dst = -1;

	if (src < 0)
		return -errno;
	dst = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (dst < 0)
		return -errno;
	return copy_data(src, dst, st->st_size);
}

static int copy_link(int sdir, int ddir, const char *name, const struct stat *st)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(sdir, name, target, sizeof(target) - 1);

	if (n < 0)
		return -errno;
	target[n] = '\0';
	(void)st;
	return symlinkat(target, ddir, name) < 0 ? -errno : 0;
}

static int copy_node(int sdir, int ddir, const char *name, const struct stat *st)
{
	(void)sdir;
	return mknodat(ddir, name, st->st_mode, st->st_rdev) < 0 ? -errno : 0;
}

static int copy_dir(int sdir, int ddir, const char *name, dev_t dev);

/* 1 when name was made a hard link to an earlier copy, 0 when not known. */
static int link_known(int ddir, const char *name, const struct stat *st)
{
	for (size_t i = 0; i < nhardlinks; i++)
		if (hardlinks[i].ino == st->st_ino && hardlinks[i].dev == st->st_dev)
			return linkat(hardlinks[i].fd, "", ddir, name, AT_EMPTY_PATH) < 0 ? -errno
											  : 1;
	return 0;
}

static void link_remember(int ddir, const char *name, const struct stat *st)
{
	int fd;

	if (nhardlinks >= MAX_HARDLINKS)
		return; /* more names are copied as files: only memory is lost */
	fd = openat(ddir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	hardlinks[nhardlinks].dev = st->st_dev;
	hardlinks[nhardlinks].ino = st->st_ino;
	hardlinks[nhardlinks++].fd = fd;
}

static void links_forget(void)
{
	while (nhardlinks > 0)
		close(hardlinks[--nhardlinks].fd);
}

/* Owner, mode and times after the content, so a read-only mode cannot stop
 * the copy and set-id bits are not cleared by a later chown. */
static int copy_attrs(int ddir, const char *name, const struct stat *st)
{
	struct timespec times[2] = {st->st_atim, st->st_mtim};

	if (fchownat(ddir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISLNK(st->st_mode) && fchmodat(ddir, name, st->st_mode & 07777, 0) < 0)
		return -errno;
	return utimensat(ddir, name, times, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

static int copy_entry(int sdir, int ddir, const char *name, dev_t dev)
{
	struct stat st;
	int r;

	if (fstatat(sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (st.st_dev != dev)
		return 0; /* another mount (the new root itself): not part of rootfs */
	if (S_ISREG(st.st_mode) && st.st_nlink > 1 && (r = link_known(ddir, name, &st)) != 0)
		return r < 0 ? r : 0; /* same inode: attributes are already set */
	switch (st.st_mode & S_IFMT) {
	case S_IFDIR:
		r = copy_dir(sdir, ddir, name, dev);
		break;
	case S_IFREG:
		r = copy_file(sdir, ddir, name, &st);
		break;
	case S_IFLNK:
		r = copy_link(sdir, ddir, name, &st);
		break;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
		r = copy_node(sdir, ddir, name, &st);
		break;
	default:
		return 0; /* sockets have no meaning in a copy */
	}
	if (r < 0)
		return r;
	if (S_ISREG(st.st_mode) && st.st_nlink > 1)
		link_remember(ddir, name, &st);
	return copy_attrs(ddir, name, &st);
}

/* Calls fn for every entry of the directory at dirfd other than . and ..;
 * stops at the first error. */
static int for_each_entry(int dirfd, int (*fn)(int, const char *, void *), void *arg)
{
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	DIR *d;
	struct dirent *e;
	int r = 0;

	if (fd < 0 || !(d = fdopendir(fd))) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (r == 0 && (errno = 0, e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			r = fn(dirfd, e->d_name, arg);
	if (r == 0 && errno)
		r = -errno;
	closedir(d);
	return r;
}

struct copy_ctx {
	int ddir;
	dev_t dev;
};

static int copy_child(int sdir, const char *name, void *arg)
{
	const struct copy_ctx *c = arg;
	int r = copy_entry(sdir, c->ddir, name, c->dev);

	if (r < 0)
		log_warn("switch_root: unable to copy %s: %s", name, strerror(-r));
	return r;
}

static int copy_dir(int sdir, int ddir, const char *name, dev_t dev)
{
	autoclose int src = -1, dst = -1;
	struct copy_ctx c = {-1, dev};

	if (mkdirat(ddir, name, 0700) < 0)
		return -errno;
	src = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	dst = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (src < 0 || dst < 0)
		return -errno;
	c.ddir = dst;
	return for_each_entry(src, copy_child, &c);
}

static int delete_child(int dirfd, const char *name, void *arg)
{
	const dev_t *dev = arg;
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (st.st_dev != *dev)
		return 0; /* the new root: keep */
	if (S_ISDIR(st.st_mode)) {
		autoclose int sub =
		    openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			return -errno;
		/* A directory that stays non-empty only costs its memory. */
		(void)for_each_entry(sub, delete_child, arg);
		return unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOTEMPTY ? -errno : 0;
	}
	return unlinkat(dirfd, name, 0) < 0 ? -errno : 0;
}

struct root_copy {
	int old_root, new_root;
	dev_t dev;
};

static int copy_root(struct root_copy *rc)
{
	struct copy_ctx c = {rc->new_root, rc->dev};
	struct stat st;

	if (fstat(rc->old_root, &st) < 0)
		return -errno;
	rc->dev = c.dev = st.st_dev;
	if (for_each_entry(rc->old_root, copy_child, &c) < 0)
		return -EIO;
	return fchmod(rc->new_root, st.st_mode & 07777) < 0 ? -errno : 0;
}

/* chdir into the new root, move it over /, chroot into it: the LinuxKit and
 * busybox switch_root sequence. */
static int move_root(void)
{
	if (chdir(NEW_ROOT) < 0)
		return -errno;
	if (mount(NEW_ROOT, "/", NULL, MS_MOVE, NULL) < 0)
		return -errno;
	if (chroot(".") < 0)
		return -errno;
	return chdir("/") < 0 ? -errno : 0;
}

static int switch_root(void)
{
	struct root_copy rc = {-1, -1, 0};
	int r;

	if (mkdir(NEW_ROOT, 0755) < 0 && errno != EEXIST)
		return -errno;
	/* Not named "rootfs": tools (df, util-linux) skip that as the initramfs. */
	if (mount("tmpfs", NEW_ROOT, "tmpfs", 0, "mode=0755") < 0)
		return -errno;
	rc.old_root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc.new_root = open(NEW_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = rc.old_root < 0 || rc.new_root < 0 ? -errno : copy_root(&rc);
	links_forget();
	if (r == 0)
		(void)for_each_entry(rc.old_root, delete_child, &rc.dev); /* best effort */
	if (rc.old_root >= 0)
		close(rc.old_root);
	if (rc.new_root >= 0)
		close(rc.new_root);
	if (r < 0) {
		(void)umount2(NEW_ROOT, MNT_DETACH); /* frees the partial copy */
		(void)rmdir(NEW_ROOT);
		return r;
	}
	return move_root();
}

void switch_root_if_initramfs(char *const *argv)
{
	int r;

	if (!root_is_rootfs()) {
		log_debug("/ is not the initramfs rootfs: no switch_root");
		return;
	}
	log_info("moving the initramfs root to a tmpfs");
	if ((r = switch_root()) < 0) {
		log_err("unable to move the root to a tmpfs: %s; containers cannot pivot_root",
			strerror(-r));
		return;
	}
	execv("/sbin/init", argv);
	execv("/init", argv);
	log_err("unable to re-exec /sbin/init from the new root: %m; going on as is");
}
