/* stdio of PID 1. The console is opened O_NOCTTY: init must never get a
 * controlling terminal (a hangup or ^C there would signal PID 1). */
#include "console.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

void console_guard_stdio(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* /dev/null may not exist yet; an O_PATH fd of / fails every
		 * read and write with EBADF, which is all a placeholder must do. */
		int p = open("/dev/null", O_RDWR);
		if (p < 0)
			p = open("/", O_PATH);
		if (p >= 0 && p != fd) {
			(void)dup2(p, fd);
			close(p);
		}
	}
}

void console_setup(const struct init_config *cfg)
{
	int fd;

	if (!cfg->pid1 || cfg->in_container) {
		log_debug("not the machine's init: keeping stdio");
		return;
	}
	fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		log_warn("unable to open /dev/console: %m");
		return;
	}
	for (int i = 0; i < 3; i++)
		if (dup2(fd, i) < 0)
			log_warn("unable to set fd %d to /dev/console: %m", i);
	if (fd > 2)
		close(fd);
}
