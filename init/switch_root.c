/* Leave the initramfs without copying it: bind-mount rootfs onto a directory
 * of itself, move that bind mount over / and chroot into it. The bind is the
 * same files (no copy, no second set of pages) but it is a mount with a
 * parent, which is what pivot_root(2) asks of the old root in every
 * container's mount namespace. Nothing is re-executed: init's binary and
 * every open file stay where they are. */
#include "switch_root.h"
#include "io.h"
#include "log.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define NEW_ROOT "/.keel-root"

/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT ...": the mount at / that is its own
 * parent (ID and PARENT the same word), i.e. the root of the mount tree:
 * pivot_root's "not attached". Only equality matters: no number is parsed. */
static bool line_is_parentless_root(const char *l)
{
	size_t id_len = strcspn(l, " ");
	const char *parent = l + id_len, *rest;

	if (id_len == 0 || *parent != ' ')
		return false;
	parent++;
	if (strncmp(parent, l, id_len) != 0 || parent[id_len] != ' ')
		return false;
	rest = parent + id_len + 1;	       /* MAJ:MIN ... */
	rest += strcspn(rest, " ");	       /* past MAJ:MIN */
	return strncmp(rest, " / / ", 5) == 0; /* ROOT and MOUNTPOINT */
}

/* True at boot, on rootfs. After the switch / is the bind mount, whose parent
 * (rootfs) lies outside the root: mountinfo lists the bind with that parent's
 * id and does not list rootfs at all. /proc is mounted just to look. */
static bool root_has_no_parent(void)
{
	autofree char *info = NULL;
	bool mounted, found = false;
	char *save = NULL;

	(void)mkdir("/proc", 0555); /* EEXIST is the normal case */
	mounted = mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0;
	if (read_file_alloc("/proc/self/mountinfo", 1 << 20, &info) >= 0)
		for (char *l = strtok_r(info, "\n", &save); l && !found;
		     l = strtok_r(NULL, "\n", &save))
			found = line_is_parentless_root(l);
	if (mounted && umount2("/proc", 0) < 0)
		log_warn("unable to unmount the temporary /proc: %m");
	return found;
}

/* chdir into the bind, move it over /, chroot into it: busybox switch_root's
 * sequence, with the bind of rootfs in place of a new file system. */
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
	int r;

	if (mkdir(NEW_ROOT, 0700) < 0 && errno != EEXIST)
		return -errno;
	/* Not MS_REC: nothing else is mounted yet (the /proc above is gone). */
	if (mount("/", NEW_ROOT, NULL, MS_BIND, NULL) < 0) {
		r = -errno;
		(void)rmdir(NEW_ROOT);
		return r;
	}
	if ((r = move_root()) < 0) {
		(void)chdir("/");
		(void)umount2(NEW_ROOT, MNT_DETACH);
		(void)rmdir(NEW_ROOT);
		return r;
	}
	/* The same directory seen through the bind: now an empty name. */
	if (rmdir(NEW_ROOT) < 0)
		log_warn("unable to remove %s: %m", NEW_ROOT);
	return 0;
}

void switch_root_if_initramfs(void)
{
	int r;

	if (!root_has_no_parent()) {
		log_debug("/ has a parent mount: no switch_root");
		return;
	}
	if ((r = switch_root()) < 0)
		log_err("unable to move the root onto a bind mount: %s; containers cannot "
			"pivot_root",
			strerror(-r));
}
