/* libFuzzer target: mount_table_parse on arbitrary bytes must never crash,
 * and what it accepts must keep the table's promises (nodev+nosuid disk, a
 * format job that is not host root, no setuid dirs, absolute paths, image
 * devices /dev/NAME or serial:SERIAL without '/'). */
#include "../../init/mount_table.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void ignore(const char *msg, void *ctx)
{
	(void)ctx;
	if (!strchr(msg, ':'))
		abort();
}

/* A ".." path component (not a name that starts with two dots). */
static int dotdot(const char *path)
{
	for (const char *p = strstr(path, ".."); p; p = strstr(p + 1, ".."))
		if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct mount_table t;

	mount_table_parse((const char *)data, size, "fuzz", &t, ignore, NULL);
	if (t.disk.present &&
	    ((t.disk.flags & (MS_NODEV | MS_NOSUID)) != (MS_NODEV | MS_NOSUID) ||
	     (t.disk.format && (t.disk.format_uid == 0 || t.disk.format_gid == 0)) ||
	     strncmp(t.disk.device, "/dev/", 5) || dotdot(t.disk.target)))
		abort();
	for (unsigned i = 0; i < t.n_image; i++)
		if (t.image[i].target[0] != '/' || dotdot(t.image[i].target) ||
		    (strncmp(t.image[i].device, "/dev/", 5) && strncmp(t.image[i].device, "serial:", 7)) ||
		    strchr(t.image[i].serial, '/') || !t.image[i].service[0])
			abort();
	for (unsigned i = 0; i < t.n_dir; i++)
		if ((t.dir[i].mode & 06000) || t.dir[i].path[0] != '/' || dotdot(t.dir[i].path))
			abort();
	return 0;
}
