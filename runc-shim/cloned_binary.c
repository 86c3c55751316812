/* Re-exec from a sealed memfd, as crun and runc do (CVE-2019-5736): a
 * container process that opens /proc/<shim pid>/exe then gets the memfd,
 * which is sealed against writes and shrinking, never the binary on disk.
 * The copy is made once per create/run, before any namespace is touched.
 * A static binary cannot use runc's other trick (re-exec via ld.so), so
 * this is the whole defence. */
#include "cloned_binary.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#define SHIM_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

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
