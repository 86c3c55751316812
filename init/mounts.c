/* The early mount table and the reverse unmount at shutdown. Flags follow
 * systemd's defaults for the same mounts: nothing on them may be set-uid,
 * device nodes only on /dev, executables nowhere but /run and /tmp. */
#include "mounts.h"
#include "io.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define MAX_MOUNTS 512

enum { WHERE_MACHINE = 1, WHERE_CONTAINER = 2, WHERE_BOTH = 3 };

struct mount_entry {
	const char *source, *target, *fstype;
	unsigned long flags;
	const char *data;
	mode_t mode; /* of the target directory when it has to be created */
	unsigned where;
};

#define NSX (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static const struct mount_entry early_mounts[] = {
    {"proc", "/proc", "proc", NSX, NULL, 0555, WHERE_BOTH},
    {"sysfs", "/sys", "sysfs", NSX, NULL, 0555, WHERE_MACHINE},
    /* The cloud kernel has no CONFIG_DEVTMPFS_MOUNT: init mounts /dev. */
    {"devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755", 0755, WHERE_MACHINE},
    {"devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666", 0755,
     WHERE_MACHINE},
    {"shm", "/dev/shm", "tmpfs", NSX, "mode=1777", 01777, WHERE_MACHINE},
    {"mqueue", "/dev/mqueue", "mqueue", NSX, NULL, 0755, WHERE_MACHINE},
    {"run", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755", 0755, WHERE_BOTH},
    {"tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", 01777, WHERE_MACHINE},
    /* nsdelegate: a cgroup namespace root is a delegation boundary, so a
     * service cannot write limits of the cgroup it was placed in. */
    {"cgroup2", "/sys/fs/cgroup", "cgroup2", NSX, "nsdelegate", 0755, WHERE_MACHINE},
};

/* True when target is already a mount point (e.g. a kernel that auto-mounts
 * devtmpfs): its device differs from its parent's. */
static bool is_mount_point(const char *target)
{
	char parent[64];
	struct stat a, b;

	snprintf(parent, sizeof(parent), "%s/..", target);
	return stat(target, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

static void mount_one(const struct mount_entry *m, bool machine)
{
	if (mkdir(m->target, m->mode) < 0 && errno != EEXIST) {
		log_warn("unable to create %s: %m", m->target);
		return;
	}
	/* In a container the host's /proc is a mount point too, but it shows
	 * the wrong PID namespace: mount over it regardless. */
	if (machine && is_mount_point(m->target)) {
		log_debug("%s is already mounted", m->target);
		return;
	}
	if (mount(m->source, m->target, m->fstype, m->flags, m->data) < 0) {
		log_warn("unable to mount %s on %s: %m", m->fstype, m->target);
		return;
	}
	log_debug("mounted %s on %s", m->fstype, m->target);
}

void mounts_early(const struct init_config *cfg)
{
	bool machine = init_is_machine(cfg);
	unsigned where = machine ? WHERE_MACHINE : WHERE_CONTAINER;

	for (size_t i = 0; i < sizeof(early_mounts) / sizeof(early_mounts[0]); i++) {
		if (early_mounts[i].where & where)
			mount_one(&early_mounts[i], machine);
		else
			log_debug("not the machine's init: not mounting %s",
				  early_mounts[i].target);
	}
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape_octal(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* Fifth field of a mountinfo line: the mount point. */
static char *mountinfo_target(char *line)
{
	char *save = NULL, *tok = strtok_r(line, " ", &save);

	for (int i = 1; tok && i < 5; i++)
		tok = strtok_r(NULL, " ", &save);
	if (tok)
		unescape_octal(tok);
	return tok;
}

/* 0 unmounted, 1 remounted read-only, or -errno. */
static int unmount_or_remount(const char *target, bool root)
{
	/* The root stays: init runs from it until reboot(2); read-only is
	 * what protects its data. */
	if (!root && umount2(target, UMOUNT_NOFOLLOW) == 0)
		return 0;
	if (mount(NULL, target, NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0)
		return 1;
	return -errno;
}

static void unmount_one(const char *target)
{
	int r = unmount_or_remount(target, strcmp(target, "/") == 0);

	if (r == 0)
		log_debug("unmounted %s", target);
	else if (r == 1)
		log_debug("remounted %s read-only", target);
	else
		log_warn("unable to unmount or remount read-only %s: %s", target, strerror(-r));
}

void mounts_unmount_all(void (*progress)(const char *target))
{
	autofree char *info = NULL;
	/* Services mount in their own mount namespaces, so the machine's table
	 * is short; a ring keeps the newest MAX_MOUNTS should it not be. */
	char *lines[MAX_MOUNTS], *save = NULL, *line;
	size_t n = 0, first;
	ssize_t r = read_file_alloc("/proc/self/mountinfo", 1 << 20, &info);

	if (r < 0) {
		log_warn("unable to read /proc/self/mountinfo: %s; remounting / read-only only",
			 strerror((int)-r));
		progress("/");
		unmount_one("/");
		return;
	}
	for (line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		lines[n++ % MAX_MOUNTS] = line;
	/* Later mounts sit on earlier ones: undo them in reverse order. */
	first = n > MAX_MOUNTS ? n - MAX_MOUNTS : 0;
	while (n-- > first) {
		char *target = mountinfo_target(lines[n % MAX_MOUNTS]);
		if (!target)
			continue;
		progress(target);
		unmount_one(target);
	}
}
