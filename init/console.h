/* Console: PID 1's stdio and its only writer to it. The kernel hands init
 * /dev/console only if the initramfs has that node; init makes sure fds 0-2
 * exist from the start and points them at /dev/console once devtmpfs is
 * mounted. Every byte PID 1 writes there goes through console_write, which
 * never blocks (bounded queue, overflow dropped and counted). */
#ifndef KEEL_INIT_CONSOLE_H
#define KEEL_INIT_CONSOLE_H

#include "config.h"

#include <stddef.h>
#include <stdint.h>

/* Fills closed fds 0-2 with a harmless placeholder, so no later open (epoll,
 * signalfd) lands on them and receives log lines. */
void console_guard_stdio(void);
/* Machine's init: stdio on /dev/console. Elsewhere stdio is kept. Then opens
 * PID 1's non-blocking writer and makes it the sink of log_*(). */
void console_setup(const struct init_config *cfg);
/* Writes or queues the whole message; drops it (counted) when the queue is
 * full. "keel: console: N bytes dropped" follows once the queue drains. */
void console_write(const char *p, size_t n);
/* The event loop exists: flush on EPOLLOUT from now on. */
void console_loop_ready(void);
/* For fds epoll cannot watch: a retry time while bytes wait, or -1. */
int64_t console_deadline(void);
void console_tick(int64_t now);
/* Shutdown only: waits up to timeout_ms for the queue to reach the console. */
void console_drain(int timeout_ms);

#endif
