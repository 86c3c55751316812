/* stdio of PID 1 and its one way to write to the console. The console is
 * opened O_NOCTTY: init must never get a controlling terminal (a hangup or ^C
 * there would signal PID 1). PID 1 writes through its own non-blocking open
 * of the console (fds 0-2 stay blocking for the debug shell): what the
 * console cannot take now waits in a bounded queue flushed on EPOLLOUT; what
 * does not fit is dropped, counted and reported once the console drains. */
#include "console.h"
#include "log.h"
#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONSOLE_QUEUE	 16384
#define CONSOLE_RETRY_MS 100 /* when epoll cannot watch the fd for us */

static struct {
	int fd;	      /* PID 1's writer; -1 until console_setup */
	bool is_sock; /* send(MSG_DONTWAIT) on a socket we could not reopen */
	bool broken;  /* EPIPE/EIO...: nobody will read again, drop everything */
	char q[CONSOLE_QUEUE];
	size_t q_off, q_len;
	uint64_t dropped;
	struct loop_watch watch;
	bool watched;
} con;

static void on_writable(struct loop_watch *w, uint32_t events);

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

/* A second open file description of stderr with O_NONBLOCK, so the flag does
 * not leak to whoever shares fd 2 (the debug shell, the test harness).
 * Sockets cannot be reopened through /proc: those get send(MSG_DONTWAIT). */
static int open_writer(const char *console)
{
	struct stat st;
	int fd;

	if (console)
		return open(console, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fstat(STDERR_FILENO, &st) < 0)
		return -1;
	if (S_ISSOCK(st.st_mode)) {
		con.is_sock = true;
		return fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	}
	fd = open("/proc/self/fd/2", O_WRONLY | O_NOCTTY | O_NONBLOCK | O_APPEND | O_CLOEXEC);
	if (fd < 0 && S_ISREG(st.st_mode)) /* no /proc: a file never blocks for long */
		fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	return fd;
}

void console_setup(const struct init_config *cfg)
{
	bool machine = init_is_machine(cfg);
	int fd;

	if (machine && (fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC)) >= 0) {
		for (int i = 0; i < 3; i++)
			if (dup2(fd, i) < 0)
				log_warn("unable to set fd %d to /dev/console: %m", i);
		if (fd > 2)
			close(fd);
	} else if (machine) {
		log_warn("unable to open /dev/console: %m");
	}
	con.watch = (struct loop_watch){.fd = -1, .on_ready = on_writable};
	con.fd = open_writer(machine ? "/dev/console" : NULL);
	if (con.fd < 0 && machine)
		con.fd = open_writer(NULL); /* no /dev/console: whatever stderr is */
	if (con.fd < 0) {
		log_warn("no non-blocking console writer (%m): console output off");
		con.broken = true;
		return;
	}
	log_set_sink(console_write);
}

/* Writes from the queue head without blocking; returns -errno or 0. */
static int write_some(const char *p, size_t n, size_t *done)
{
	ssize_t w;

	*done = 0;
	while (*done < n) {
		if (con.is_sock)
			w = send(con.fd, p + *done, n - *done, MSG_DONTWAIT | MSG_NOSIGNAL);
		else
			w = write(con.fd, p + *done, n - *done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EAGAIN ? 0 : -errno;
		*done += (size_t)w;
	}
	return 0;
}

static void drop_all(void)
{
	con.dropped += con.q_len - con.q_off;
	con.q_off = con.q_len = 0;
}

static void watch_update(void)
{
	bool want = con.q_len > con.q_off && !con.broken;

	if (want == con.watched)
		return;
	if (!want) {
		loop_del(&con.watch);
		con.watched = false;
		return;
	}
	con.watch.fd = con.fd;
	/* Fails before loop_init and for regular files: console_deadline polls. */
	con.watched = loop_add(&con.watch, EPOLLOUT) == 0;
}

static void note_drops(void);

/* Moves queued bytes to the console; reports drops once it is empty. */
static void flush_queue(void)
{
	size_t done;
	int r;

	if (con.q_len > con.q_off) {
		r = write_some(con.q + con.q_off, con.q_len - con.q_off, &done);
		con.q_off += done;
		if (r < 0 && r != -EAGAIN) {
			con.broken = true; /* EPIPE, EIO: the reader is gone for good */
			drop_all();
		}
		if (con.q_off == con.q_len)
			con.q_off = con.q_len = 0;
	}
	if (con.q_len == 0 && con.dropped && !con.broken)
		note_drops();
	watch_update();
}

static void enqueue(const char *p, size_t n)
{
	if (con.q_len + n > sizeof(con.q) && con.q_off) {
		memmove(con.q, con.q + con.q_off, con.q_len - con.q_off);
		con.q_len -= con.q_off;
		con.q_off = 0;
	}
	if (con.q_len + n > sizeof(con.q)) {
		con.dropped += n; /* whole messages: no torn lines on the console */
		return;
	}
	memcpy(con.q + con.q_len, p, n);
	con.q_len += n;
}

void console_write(const char *p, size_t n)
{
	size_t done = 0;

	if (con.broken) {
		con.dropped += n;
		return;
	}
	if (con.fd <= 0) { /* before console_setup: early boot, nothing else runs */
		(void)write(STDERR_FILENO, p, n);
		return;
	}
	/* Order matters: nothing may overtake bytes already queued. */
	if (con.q_len == con.q_off && write_some(p, n, &done) < 0) {
		con.broken = true; /* EPIPE, EIO: the reader is gone for good */
		con.dropped += n - done;
		return;
	}
	if (done < n)
		enqueue(p + done, n - done);
	watch_update();
}

static void note_drops(void)
{
	char line[80];
	int n = snprintf(line, sizeof(line), "keel: console: %llu bytes dropped\n",
			 (unsigned long long)con.dropped);

	con.dropped = 0;
	enqueue(line, (size_t)n);
	flush_queue();
}

static void on_writable(struct loop_watch *w, uint32_t events)
{
	(void)w;
	(void)events;
	flush_queue();
}

void console_loop_ready(void)
{
	watch_update();
}

int64_t console_deadline(void)
{
	if (con.watched || con.broken || con.q_len == con.q_off)
		return -1;
	return now_ms() + CONSOLE_RETRY_MS;
}

void console_tick(int64_t now)
{
	(void)now;
	if (!con.watched && con.q_len > con.q_off)
		flush_queue();
}

void console_drain(int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	struct pollfd p = {.fd = con.fd, .events = POLLOUT};

	while (con.fd >= 0 && !con.broken && con.q_len > con.q_off && now_ms() < end) {
		if (poll(&p, 1, (int)(end - now_ms())) < 0 && errno != EINTR)
			return;
		flush_queue();
	}
}
