/* PID 1's single event loop: epoll over fds plus one deadline. Everything that
 * waits (signals, service pipes, the control socket, timeouts) goes through it.
 * Owned by init core (loop.c); used by the supervisor and control socket. */
#ifndef KEEL_INIT_LOOP_H
#define KEEL_INIT_LOOP_H

#include <stdint.h>

struct loop_watch {
	int fd;
	/* Called from the loop with the epoll events; must not block. */
	void (*on_ready)(struct loop_watch *self, uint32_t events);
	void *data;
};

int loop_init(void);
/* Registers w (which must outlive the registration) for events; 0 or -errno. */
int loop_add(struct loop_watch *w, uint32_t events);
int loop_mod(struct loop_watch *w, uint32_t events);
/* Unregisters w; call before closing its fd. */
void loop_del(struct loop_watch *w);
/* Waits at most until deadline_ms (monotonic ms, -1 = no deadline) and
 * dispatches ready watches. */
void loop_run_once(int64_t deadline_ms);

/* Monotonic clock in milliseconds. */
int64_t now_ms(void);

#endif
