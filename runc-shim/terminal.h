/* process.terminal: a pty made inside the container, its master sent to
 * --console-socket (SCM_RIGHTS), its slave the init's stdio and ctty. */
#ifndef SHIM_TERMINAL_H
#define SHIM_TERMINAL_H

#include "err.h"

#include <stdbool.h>

/* bind_console: the container's init (not exec) also gets the slave
 * bind-mounted on /dev/console, as runc does. */
int terminal_setup(int console_fd, bool bind_console, struct kerr *err);
/* Connects to the console socket path (in the parent, before cloning). */
int terminal_connect(const char *path, struct kerr *err);

#endif
