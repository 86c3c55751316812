/* See sync.h. Messages are fixed-size structs on a SEQPACKET socket: a
 * short read means the peer died mid-send, EOF that it exited. */
#include "sync.h"
#include "io.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct sync_msg {
	uint32_t type;
	int32_t value;
	struct kerr err;
};

int sync_pair(int fds[2], struct kerr *err)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return kerr_set(err, errno, "unable to create the sync socket pair");
	return 0;
}

int sync_send(int fd, enum sync_type type, int32_t value, const struct kerr *kerr)
{
	struct sync_msg m = {.type = type, .value = value};

	if (kerr)
		m.err = *kerr;
	for (;;) {
		ssize_t n = send(fd, &m, sizeof(m), MSG_NOSIGNAL);
		if (n == (ssize_t)sizeof(m))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 ? -errno : -EIO;
	}
}

int sync_expect(int fd, enum sync_type type, int32_t *value, struct kerr *err)
{
	struct sync_msg m;
	ssize_t n;

	do
		n = recv(fd, &m, sizeof(m), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return kerr_set(err, errno, "unable to read from the container's init");
	if (n != (ssize_t)sizeof(m))
		return kerr_set(err, 0, "container init exited during setup");
	if (m.type == SYNC_ERROR) {
		m.err.msg[sizeof(m.err.msg) - 1] = '\0';
		*err = m.err;
		return err->code ? -err->code : -EINVAL;
	}
	if (m.type != (uint32_t)type)
		return kerr_set(err, EPROTO, "unexpected message %u from the container's init",
				m.type);
	if (value)
		*value = m.value;
	return 0;
}

int sync_expect_exec(int fd, struct kerr *err)
{
	struct sync_msg m;
	ssize_t n;

	do
		n = recv(fd, &m, sizeof(m), 0);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;
	if (n < 0)
		return kerr_set(err, errno, "unable to read from the exec'd process");
	if (n != (ssize_t)sizeof(m) || m.type != SYNC_ERROR)
		return kerr_set(err, EPROTO, "unexpected message from the exec'd process");
	m.err.msg[sizeof(m.err.msg) - 1] = '\0';
	*err = m.err;
	return err->code ? -err->code : -EINVAL;
}

void sync_fail(int fd, const struct kerr *err)
{
	(void)sync_send(fd, SYNC_ERROR, 0, err); /* the parent sees EOF otherwise */
	_exit(1);
}
