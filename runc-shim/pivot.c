/* Entering the rootfs. pivot_root(".", ".") stacks the old root under the
 * new one, which we then detach: no path leads back to the host tree.
 * An initramfs root (rootfs) cannot be pivoted: --no-pivot moves the rootfs
 * over / and chroots instead. That is weaker (a process holding
 * CAP_SYS_CHROOT could escape a chroot), which is why keel's init switches
 * from the initramfs to a tmpfs root before starting containers; see
 * docs/runc-shim.md. Then /proc is checked to be the kernel's. */
#include "pivot.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#define PROC_ROOT_INO 1 /* fs/proc/root.c: the fixed inode of every procfs root */

static int move_root(struct kerr *err)
{
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		return kerr_set(err, errno, "--no-pivot: unable to move the rootfs to /");
	if (chroot(".") < 0)
		return kerr_set(err, errno, "--no-pivot: chroot");
	return 0;
}

int pivot_into(const char *rootfs, bool no_pivot, struct kerr *err)
{
	if (chdir(rootfs) < 0)
		return kerr_set(err, errno, "unable to enter the rootfs %s", rootfs);
	if (no_pivot) {
		if (move_root(err) < 0)
			return -EINVAL;
	} else {
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			return kerr_set(err, errno, "pivot_root into %s", rootfs);
		/* The old root now sits on "."; make it a slave first so the
		 * detach cannot propagate unmounts to the host. */
		if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
			return kerr_set(err, errno, "unable to make the old root a slave");
		if (umount2(".", MNT_DETACH) < 0)
			return kerr_set(err, errno, "unable to detach the old root");
	}
	if (chdir("/") < 0)
		return kerr_set(err, errno, "chdir / in the rootfs");
	return 0;
}

int pivot_check_proc(struct kerr *err)
{
	autoclose int fd = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct statfs sf;
	struct stat st;

	if (fd < 0)
		return kerr_set(err, errno, "/proc in the container");
	if (fstatfs(fd, &sf) < 0 || fstat(fd, &st) < 0)
		return kerr_set(err, errno, "/proc in the container: fstatfs");
	/* The root of a procfs, not a tmpfs or a bind of some /proc/PID. */
	if (sf.f_type != PROC_SUPER_MAGIC || st.st_ino != PROC_ROOT_INO)
		return kerr_set(err, EPERM, "/proc in the container is not a procfs mount root");
	return 0;
}
