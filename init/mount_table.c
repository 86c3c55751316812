/* See mount_table.h. Strict: fixed field counts, absolute clean paths, an
 * option table, integers through parse_u64; a disk must be nodev,nosuid and
 * its format job must not be host root; an image names a service. */
#include "mount_table.h"
#include "parse.h"
#include "service_conf.h"

#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#define LINE_MAX_LEN 1024
#define FIELDS_MAX   7

static const struct {
	const char *name;
	unsigned long flag;
} disk_options[] = {
    {"nodev", MS_NODEV},     {"nosuid", MS_NOSUID}, {"noexec", MS_NOEXEC},
    {"noatime", MS_NOATIME}, {"ro", MS_RDONLY},
};

/* "/a/b": absolute, printable, no empty, "." or ".." part, not "/". */
static const char *path_problem(const char *p)
{
	size_t n = strlen(p);

	if (p[0] != '/' || n < 2)
		return "not an absolute path below /";
	if (n >= MT_PATH_MAX)
		return "path too long";
	for (const char *s = p; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return "control, space or non-ASCII byte in path";
	if (strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../") || p[n - 1] == '/' ||
	    (n >= 2 && !strcmp(p + n - 2, "/.")) || (n >= 3 && !strcmp(p + n - 3, "/..")))
		return "empty, '.' or '..' part in path";
	return NULL;
}

static const char *device_problem(const char *d)
{
	if (strncmp(d, "/dev/", 5) != 0 || !d[5])
		return "device is not /dev/NAME";
	for (const char *s = d + 5; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return "device name may hold only a-z and 0-9";
	return strlen(d) >= MT_PATH_MAX ? "device too long" : NULL;
}

static const char *parse_options(char *list, unsigned long *flags)
{
	char *save = NULL;

	*flags = 0;
	for (char *o = strtok_r(list, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		size_t i = 0, n = sizeof(disk_options) / sizeof(disk_options[0]);

		while (i < n && strcmp(o, disk_options[i].name) != 0)
			i++;
		if (i == n)
			return "unknown option (nodev nosuid noexec noatime ro)";
		*flags |= disk_options[i].flag;
	}
	if ((*flags & (MS_NODEV | MS_NOSUID)) != (MS_NODEV | MS_NOSUID))
		return "options must include nodev and nosuid";
	return NULL;
}

static const char *parse_id(const char *s, unsigned *out, bool allow_root)
{
	uint64_t v;

	if (parse_u64(s, 4294967294u, &v) < 0)
		return "uid/gid is not a number below 2^32-1";
	if (v == 0 && !allow_root)
		return "a format job must not run as host uid 0";
	*out = (unsigned)v;
	return NULL;
}

static const char *parse_owner(char *s, struct mt_disk *d)
{
	char *colon = strchr(s, ':');
	const char *why;

	if (!strcmp(s, "-")) {
		d->format = false;
		return NULL;
	}
	if (!colon)
		return "format owner is not UID:GID or -";
	*colon = '\0';
	if ((why = parse_id(s, &d->format_uid, false)) ||
	    (why = parse_id(colon + 1, &d->format_gid, false)))
		return why;
	d->format = true;
	return NULL;
}

static const char *parse_disk(char **f, int n, struct mount_table *t)
{
	struct mt_disk d = {.present = true};
	const char *why;

	if (n != 6)
		return "want: disk DEVICE MOUNTPOINT ext4 OPTIONS UID:GID|-";
	if (t->disk.present)
		return "a second disk line (one data disk)";
	if ((why = device_problem(f[1])) || (why = path_problem(f[2])))
		return why;
	if (strcmp(f[3], "ext4") != 0)
		return "file system type must be ext4";
	if ((why = parse_options(f[4], &d.flags)) || (why = parse_owner(f[5], &d)))
		return why;
	snprintf(d.device, sizeof(d.device), "%s", f[1]);
	snprintf(d.target, sizeof(d.target), "%s", f[2]);
	snprintf(d.fstype, sizeof(d.fstype), "%s", f[3]);
	t->disk = d;
	return NULL;
}

static const char *parse_mode(const char *s, mode_t *mode)
{
	unsigned v = 0;

	if (strlen(s) < 3 || strlen(s) > 4)
		return "mode is not 3 or 4 octal digits";
	for (; *s; s++) {
		if (*s < '0' || *s > '7')
			return "mode is not octal";
		v = v * 8 + (unsigned)(*s - '0');
	}
	if (v & 06000)
		return "mode must not set setuid/setgid";
	*mode = (mode_t)v;
	return NULL;
}

static const char *parse_dir(char **f, int n, struct mount_table *t)
{
	struct mt_dir d;
	const char *why;

	if (n != 5)
		return "want: dir PATH UID GID MODE";
	if (t->n_dir == MT_DIRS_MAX)
		return "too many dir lines";
	if ((why = path_problem(f[1])) || (why = parse_id(f[2], &d.uid, true)) ||
	    (why = parse_id(f[3], &d.gid, true)) || (why = parse_mode(f[4], &d.mode)))
		return why;
	snprintf(d.path, sizeof(d.path), "%s", f[1]);
	t->dir[t->n_dir++] = d;
	return NULL;
}

/* serial:SERIAL: what QEMU's virtio-blk serial= may hold that is also safe
 * in a log line (printable, no space, no '/'). */
static const char *serial_problem(const char *d)
{
	const char *v = d + strlen("serial:");

	if (!v[0])
		return "empty serial";
	if (strlen(v) >= MT_SERIAL_MAX)
		return "serial longer than 20 bytes (virtio-blk's limit)";
	if (strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
	    strlen(v))
		return "serial may hold only letters, digits, '.', '_' and '-'";
	return NULL;
}

static const char *parse_image(char **f, int n, struct mount_table *t)
{
	struct mt_image im;
	const char *why;
	bool serial;

	if (n != 5)
		return "want: image DEVICE MOUNTPOINT squashfs SERVICE";
	serial = !strncmp(f[1], "serial:", 7);
	if (t->n_image == MT_IMAGES_MAX)
		return "too many image lines";
	if ((why = serial ? serial_problem(f[1]) : device_problem(f[1])) ||
	    (why = path_problem(f[2])))
		return why;
	if (strcmp(f[3], "squashfs") != 0)
		return "file system type must be squashfs";
	if (!service_name_valid(f[4]))
		return "not a valid service name";
	for (unsigned i = 0; i < t->n_image; i++)
		if (!strcmp(t->image[i].target, f[2]) || !strcmp(t->image[i].service, f[4]))
			return "a second image for the same mount point or service";
	memset(&im, 0, sizeof(im));
	snprintf(im.device, sizeof(im.device), "%s", f[1]);
	snprintf(im.serial, sizeof(im.serial), "%s", serial ? f[1] + 7 : "");
	snprintf(im.target, sizeof(im.target), "%s", f[2]);
	snprintf(im.service, sizeof(im.service), "%s", f[4]);
	t->image[t->n_image++] = im;
	return NULL;
}

/* One line, NUL-terminated and writable: NULL, or why it is bad. */
static const char *parse_line(char *line, struct mount_table *t)
{
	char *f[FIELDS_MAX + 1], *save = NULL;
	int n = 0;

	for (char *w = strtok_r(line, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n == 0 && w[0] == '#')
			return NULL;
		if (n == FIELDS_MAX)
			return "too many fields";
		f[n++] = w;
	}
	if (n == 0)
		return NULL;
	if (!strcmp(f[0], "disk"))
		return parse_disk(f, n, t);
	if (!strcmp(f[0], "dir"))
		return parse_dir(f, n, t);
	if (!strcmp(f[0], "image"))
		return parse_image(f, n, t);
	return "unknown line kind (disk, dir, image)";
}

unsigned mount_table_parse(const char *text, size_t len, const char *file, struct mount_table *t,
			   void (*bad)(const char *msg, void *ctx), void *ctx)
{
	unsigned nbad = 0, lineno = 0;

	memset(t, 0, sizeof(*t));
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos), *why;
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char line[LINE_MAX_LEN + 1], msg[MT_PATH_MAX + 128];

		lineno++;
		if (n > LINE_MAX_LEN)
			why = "line too long";
		else if (memchr(text + pos, '\0', n))
			why = "NUL byte in line";
		else {
			memcpy(line, text + pos, n);
			line[n] = '\0';
			why = parse_line(line, t);
		}
		if (why) {
			snprintf(msg, sizeof(msg), "%s:%u: %s", file, lineno, why);
			bad(msg, ctx);
			nbad++;
		}
		pos += n + 1;
	}
	return nbad;
}
