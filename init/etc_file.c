/* See etc_file.h. */
#include "etc_file.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

ssize_t etc_file_read(const char *path, size_t max, char **out)
{
	autoclose int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	ssize_t n;
	char *buf;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((size_t)st.st_size > max)
		return -EFBIG;
	if (!(buf = malloc((size_t)st.st_size + 1)))
		return -ENOMEM;
	/* At most what stat said: a file that grows meanwhile is cut, not overrun. */
	if ((n = read_all(fd, buf, (size_t)st.st_size)) < 0) {
		free(buf);
		return n;
	}
	buf[n] = '\0';
	*out = buf;
	return n;
}
