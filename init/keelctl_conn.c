/* The client's connection to PID 1's control socket, shared by keelctl's
 * verbs (keelctl.c), its boot renderer (keelctl_boot.c) and exec
 * (keelctl_exec.c): kept apart so none calls another. */
#include "control.h"
#include "io.h"
#include "keelctl.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int keelctl_connect(void)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX, .sun_path = CONTROL_SOCK};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die("unable to connect to %s: %s", CONTROL_SOCK, strerror(errno));
	return fd;
}

char *keelctl_query(const char *req, size_t max)
{
	size_t len = 0;
	char *buf = malloc(max);
	int fd = keelctl_connect();
	ssize_t n;

	if (!buf)
		die("out of memory");
	/* A refused client finds the answer waiting and the socket closed:
	 * read it rather than die of SIGPIPE. */
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0 && errno != EPIPE && errno != ECONNRESET)
		die("unable to send the request: %s", strerror(errno));
	while (len < max - 1 && (n = read_all(fd, buf + len, max - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	if (!strncmp(buf, "ERR ", 4))
		die("%.*s", (int)strcspn(buf + 4, "\n"), buf + 4);
	if (strncmp(buf, "OK\n", 3) != 0)
		die("unexpected answer from init: '%.40s'", buf);
	memmove(buf, buf + 3, len - 2); /* the body and its NUL */
	return buf;
}
