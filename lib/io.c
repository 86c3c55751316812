/* read/write wrappers that own EINTR and short transfers, and small file helpers. */
#include "io.h"
#include "parse.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

ssize_t read_all(int fd, void *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = read(fd, (char *)buf + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int write_all(int fd, const void *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = write(fd, (const char *)buf + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return 0;
}

/* O_NONBLOCK: opening a FIFO or a device must not block or wait for a
 * writer; anything but a regular file is refused before the first read. */
static int open_regular(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int r = S_ISREG(st.st_mode) ? -errno : -EINVAL;
		close(fd);
		return r;
	}
	return fd;
}

ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open_regular(path);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = read_all(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return n;
}

ssize_t read_file_alloc(const char *path, size_t max, char **out)
{
	autoclose int fd = open_regular(path);

	return fd < 0 ? fd : read_fd_alloc(fd, max, out);
}

ssize_t read_fd_alloc(int fd, size_t max, char **out)
{
	size_t cap = 4096, len = 0;
	char *buf;

	if (!(buf = malloc(cap + 1)))
		return -ENOMEM;
	for (;;) {
		ssize_t n = read_all(fd, buf + len, cap - len);
		if (n < 0) {
			free(buf);
			return n;
		}
		len += (size_t)n;
		if (len < cap)
			break;
		if (cap >= max) {
			free(buf);
			return -EFBIG;
		}
		cap *= 2;
		char *bigger = realloc(buf, cap + 1);
		if (!bigger) {
			free(buf);
			return -ENOMEM;
		}
		buf = bigger;
	}
	if (len > max) {
		free(buf);
		return -EFBIG;
	}
	buf[len] = '\0';
	*out = buf;
	return (ssize_t)len;
}

int write_file_at(int dirfd, const char *path, const char *str)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	int r;

	if (fd < 0)
		return -errno;
	r = write_all(fd, str, strlen(str));
	close(fd);
	return r;
}

int write_file(const char *path, const char *str)
{
	return write_file_at(AT_FDCWD, path, str);
}

void close_fdp(int *fdp)
{
	int saved = errno;

	if (*fdp >= 0)
		close(*fdp);
	errno = saved;
}

void free_ptrp(void *p)
{
	free(*(void **)p);
}

int close_fds_from(int from)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)from, ~0U, 0) == 0)
		return 0;
#endif
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		long fd;
		if (parse_long(e->d_name, 0, 1 << 30, &fd) == 0 && fd >= from &&
		    fd != dirfd(d))
			close((int)fd);
	}
	closedir(d);
	return 0;
}
