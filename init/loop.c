/* PID 1's one epoll loop. Watches are owned by their callers; the loop only
 * keeps a pointer in epoll_event.data, so loop_del must come before free. */
#include "loop.h"
#include "log.h"

#include <errno.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define LOOP_MAX_EVENTS 16

static int loop_fd = -1;

int64_t now_ms(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail with a valid pointer. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int loop_init(void)
{
	loop_fd = epoll_create1(EPOLL_CLOEXEC);
	return loop_fd < 0 ? -errno : 0;
}

static int loop_ctl(int op, struct loop_watch *w, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = w};

	return epoll_ctl(loop_fd, op, w->fd, &ev) < 0 ? -errno : 0;
}

int loop_add(struct loop_watch *w, uint32_t events)
{
	return loop_ctl(EPOLL_CTL_ADD, w, events);
}

int loop_mod(struct loop_watch *w, uint32_t events)
{
	return loop_ctl(EPOLL_CTL_MOD, w, events);
}

void loop_del(struct loop_watch *w)
{
	/* ENOENT/EBADF only mean it was never added or already closed. */
	(void)epoll_ctl(loop_fd, EPOLL_CTL_DEL, w->fd, NULL);
}

static int timeout_for(int64_t deadline_ms)
{
	int64_t left;

	if (deadline_ms < 0)
		return -1;
	left = deadline_ms - now_ms();
	if (left <= 0)
		return 0;
	return left > 60000 ? 60000 : (int)left;
}

void loop_run_once(int64_t deadline_ms)
{
	struct epoll_event evs[LOOP_MAX_EVENTS];
	int n = epoll_wait(loop_fd, evs, LOOP_MAX_EVENTS, timeout_for(deadline_ms));

	if (n < 0) {
		if (errno != EINTR) {
			log_err("epoll_wait: %m");
			(void)usleep(100000); /* do not spin if the loop itself breaks */
		}
		return;
	}
	for (int i = 0; i < n; i++) {
		struct loop_watch *w = evs[i].data.ptr;
		w->on_ready(w, evs[i].events);
	}
}
