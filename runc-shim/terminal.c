/* See terminal.h. The pty comes from the container's own devpts (opened
 * after pivot_root through /dev/ptmx), so the slave is visible inside.
 * The master travels to the console socket like runc's: the message data
 * is the slave's name, the fd rides as SCM_RIGHTS. */
#include "terminal.h"
#include "io.h"
#include "mount_at.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int terminal_connect(const char *path, struct kerr *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return kerr_set(err, ENAMETOOLONG, "--console-socket %s", path);
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return kerr_set(err, errno, "--console-socket: socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		return kerr_set(err, e, "--console-socket: unable to connect to %s", path);
	}
	return fd;
}

static int send_fd(int sock, int fd, const char *name)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = (void *)name, .iov_len = strlen(name)};
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* /dev/console is made (a plain file, as runc) without following a
 * symlink the image may have put there, then mounted through that fd. */
static int bind_console(const char *slave, struct kerr *err)
{
	autoclose int fd =
	    open("/dev/console", O_WRONLY | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0666);
	char target[32];

	if (fd < 0)
		return kerr_set(err, errno, "process.terminal: unable to create /dev/console");
	if (mount(slave, fd_path(target, fd), NULL, MS_BIND, NULL) < 0)
		return kerr_set(err, errno, "process.terminal: unable to bind %s on /dev/console",
				slave);
	return 0;
}

int terminal_setup(int console_fd, bool bind, struct kerr *err)
{
	autoclose int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	autoclose int slave = -1;
	char name[64];
	int r;

	if (master < 0)
		return kerr_set(err, errno, "process.terminal: unable to open /dev/ptmx");
	if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof(name)) != 0)
		return kerr_set(err, errno, "process.terminal: unable to set up the pty");
	if ((slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return kerr_set(err, errno, "process.terminal: unable to open %s", name);
	if (bind && (r = bind_console(name, err)) < 0)
		return r;
	if ((r = send_fd(console_fd, master, name)) < 0)
		return kerr_set(err, -r, "--console-socket: unable to send the pty master");
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		return kerr_set(err, errno, "process.terminal: unable to make %s the ctty", name);
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return kerr_set(err, errno, "process.terminal: dup2");
	return 0;
}
