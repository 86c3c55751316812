/* Console: PID 1's stdio. The kernel hands init /dev/console only if the
 * initramfs has that node; init makes sure fds 0-2 exist from the start and
 * points them at /dev/console once devtmpfs is mounted. */
#ifndef KEEL_INIT_CONSOLE_H
#define KEEL_INIT_CONSOLE_H

#include "config.h"

/* Fills closed fds 0-2 with a harmless placeholder, so no later open (epoll,
 * signalfd) lands on them and receives log lines. */
void console_guard_stdio(void);
/* Machine's init: stdio on /dev/console. Elsewhere stdio is kept. */
void console_setup(const struct init_config *cfg);

#endif
