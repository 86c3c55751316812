/* Reading PID 1's own small configuration files (/etc/keel/...): opened
 * non-blocking (a FIFO planted there cannot stall PID 1), checked to be a
 * regular file, bounded in size. */
#ifndef KEEL_INIT_ETC_FILE_H
#define KEEL_INIT_ETC_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* Reads path into a malloc'd NUL-terminated buffer of at most max bytes;
 * returns its length or -errno (-ENOENT: absent, -EINVAL: not a regular
 * file, -EFBIG: larger than max). */
ssize_t etc_file_read(const char *path, size_t max, char **out);

#endif
