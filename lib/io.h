/* EINTR and short reads/writes handled in one place. close() is never retried. */
#ifndef KEEL_IO_H
#define KEEL_IO_H

#include <stddef.h>
#include <sys/types.h>

/* Reads until size bytes or EOF; returns bytes read or -errno. */
ssize_t read_all(int fd, void *buf, size_t size);
/* Writes all size bytes; returns 0 or -errno. */
int write_all(int fd, const void *buf, size_t size);

/* Both readers open with O_NONBLOCK and refuse anything but a regular file
 * with -EINVAL before reading (a FIFO or device in a spec dir must not hang
 * PID 1). */
/* Reads a whole small file into buf (NUL-terminated, truncated to size-1);
 * returns its length or -errno. */
ssize_t read_file(const char *path, char *buf, size_t size);
/* Reads a file of any size into a malloc'd NUL-terminated buffer (max bytes);
 * returns its length or -errno (-EFBIG when larger than max). */
ssize_t read_file_alloc(const char *path, size_t max, char **out);
/* The same from an open fd of any kind (a pipe: runc-shim update -r -),
 * for short-lived tools only: it blocks until EOF. */
ssize_t read_fd_alloc(int fd, size_t max, char **out);
/* Writes str to an existing file (procfs, sysfs, cgroupfs style); 0 or -errno. */
int write_file(const char *path, const char *str);
/* Same, relative to a directory fd. */
int write_file_at(int dirfd, const char *path, const char *str);

/* Closes an fd, keeping errno; for cleanup attributes. */
void close_fdp(int *fdp);
#define autoclose __attribute__((cleanup(close_fdp)))
/* Frees *p; for cleanup attributes. */
void free_ptrp(void *p);
#define autofree __attribute__((cleanup(free_ptrp)))

/* Closes every fd >= from (close_range, falling back to /proc/self/fd). */
int close_fds_from(int from);

#endif
