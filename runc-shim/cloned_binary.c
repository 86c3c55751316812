/* CVE-2019-5736: a container process that reaches the runtime binary
 * through /proc/<pid>/exe (or an entrypoint of /proc/self/exe) must not be
 * able to overwrite it. Two defences, chosen per container:
 *  - the container runs in a user namespace in which the binary's owner is
 *    unmapped and nobody else may write it: the kernel refuses the open for
 *    writing (no mapped uid owns it, and CAP_DAC_OVERRIDE inside a user
 *    namespace does not cover inodes of unmapped owners);
 *  - otherwise we re-exec from a sealed memfd copy, as crun and runc do, so
 *    /proc/<pid>/exe is the copy, sealed against writes and resizing.
 * The copy is made before any namespace is touched. A static binary cannot
 * use runc's other trick (re-exec via ld.so). */
#include "cloned_binary.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#define SHIM_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

/* Group or other may write: a mapped id could. */
static bool writable_by_others(mode_t m)
{
	return (m & (S_IWGRP | S_IWOTH)) != 0;
}

static int is_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);
	return seals >= 0 && (seals & SHIM_SEALS) == SHIM_SEALS;
}

static int memfd_exec_create(void)
{
	/* MFD_EXEC: kernels with vm.memfd_noexec=1 make memfds noexec unless
	 * asked; older kernels reject the flag, so retry without it. */
	int fd = memfd_create("runc-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("runc-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return fd;
}

static int copy_all(int dst, int src, off_t size)
{
	off_t off = 0;

	while (off < size) {
		ssize_t n = sendfile(dst, src, &off, (size_t)(size - off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
	}
	return 0;
}

static bool id_mapped(const struct cfg_idmap *m, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= m[i].host && id - m[i].host < m[i].size)
			return true;
	return false;
}

bool cloned_binary_needed(const struct config *c)
{
	const struct cfg_ns *user = config_ns(c, CLONE_NEWUSER);
	struct stat st;
	int fd;
	bool acl;

	if (!user || user->path || (fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) < 0)
		return true;
	acl = fgetxattr(fd, "system.posix_acl_access", NULL, 0) >= 0 || errno == ERANGE;
	if (fstat(fd, &st) < 0)
		acl = true;
	close(fd);
	return acl || writable_by_others(st.st_mode) ||
	       id_mapped(c->uid_map, c->n_uid_map, st.st_uid) ||
	       id_mapped(c->gid_map, c->n_gid_map, st.st_gid);
}

int cloned_binary_ensure(char **argv, struct kerr *err)
{
	int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int mfd, r;
	struct stat st;

	if (self < 0)
		return kerr_set(err, errno, "unable to open /proc/self/exe");
	if (is_sealed(self)) {
		close(self);
		return 0;
	}
	if (fstat(self, &st) < 0 || (mfd = memfd_exec_create()) < 0) {
		r = kerr_set(err, errno, "unable to make a sealed copy of runc-shim");
		close(self);
		return r;
	}
	r = copy_all(mfd, self, st.st_size);
	close(self);
	if (r < 0 || fcntl(mfd, F_ADD_SEALS, SHIM_SEALS) < 0) {
		r = kerr_set(err, r < 0 ? -r : errno, "unable to seal the copy of runc-shim");
		close(mfd);
		return r;
	}
	syscall(SYS_execveat, mfd, "", argv, environ, AT_EMPTY_PATH);
	r = kerr_set(err, errno, "unable to re-exec runc-shim from its sealed copy");
	close(mfd);
	return r;
}
