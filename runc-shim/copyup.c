/* tmpcopyup: the covered directory stays reachable through an fd opened
 * before the mount, so the copy reads the image's content from there and
 * writes into the new tmpfs by fd: no path is resolved twice, none leaves
 * the root. Devices, fifos and sockets are not copied (runc's neither). */
#include "copyup.h"
#include "io.h"
#include "mount_at.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPYUP_MAX_DEPTH 64

int copyup_open(int rootfd, const char *dest)
{
	autoclose int path_fd = mount_target_open(rootfd, dest, false, false);

	if (path_fd < 0)
		return -1;
	return openat(path_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static int copy_file(int from, int to, const char *name, mode_t mode)
{
	autoclose int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	autoclose int out = -1;
	char buf[16384];
	ssize_t n;

	if (in < 0)
		return -errno;
	out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 07777);
	if (out < 0)
		return -errno;
	while ((n = read_all(in, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, (size_t)n) < 0)
			return -errno;
	return n < 0 ? (int)n : 0;
}

static int copy_tree(int from, int to, int depth);

static int copy_entry(int from, int to, const char *name, int depth)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int r = 0;

	if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		if (mkdirat(to, name, st.st_mode & 07777) < 0)
			return -errno;
		autoclose int sub_from =
		    openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		autoclose int sub_to =
		    openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		r = sub_from < 0 || sub_to < 0 ? -errno : copy_tree(sub_from, sub_to, depth + 1);
	} else if (S_ISREG(st.st_mode)) {
		r = copy_file(from, to, name, st.st_mode);
	} else if (S_ISLNK(st.st_mode)) {
		if ((n = readlinkat(from, name, target, sizeof(target) - 1)) < 0)
			return -errno;
		target[n] = '\0';
		r = symlinkat(target, to, name) < 0 ? -errno : 0;
	} else {
		return 0;
	}
	if (r == 0 && fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		r = -errno;
	/* mkdirat/openat applied the umask: set the image's mode exactly. */
	if (r == 0 && !S_ISLNK(st.st_mode) && fchmodat(to, name, st.st_mode & 07777, 0) < 0)
		r = -errno;
	return r;
}

static int copy_tree(int from, int to, int depth)
{
	DIR *d;
	struct dirent *e;
	int r = 0, fd;

	if (depth > COPYUP_MAX_DEPTH)
		return -ELOOP;
	if ((fd = fcntl(from, F_DUPFD_CLOEXEC, 0)) < 0 || !(d = fdopendir(fd))) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (r == 0 && (errno = 0, e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			r = copy_entry(from, to, e->d_name, depth);
	if (r == 0 && errno)
		r = -errno;
	closedir(d);
	return r;
}

int copyup_fill(int below, int rootfd, const char *dest, struct kerr *err)
{
	autoclose int path_fd = mount_target_open(rootfd, dest, false, false);
	autoclose int top =
	    path_fd < 0 ? -1 : openat(path_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (top < 0)
		return kerr_set(err, path_fd < 0 ? -path_fd : errno, "tmpcopyup: unable to open %s",
				dest);
	if ((r = copy_tree(below, top, 0)) < 0)
		return kerr_set(err, -r, "tmpcopyup: unable to copy %s into its tmpfs", dest);
	return 0;
}
