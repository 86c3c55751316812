/* The client's connection to PID 1's control socket, shared by keelctl's
 * verbs (keelctl.c) and its boot renderer (keelctl_boot.c): kept apart so
 * neither calls the other. */
#include "control.h"
#include "keelctl.h"
#include "log.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

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
