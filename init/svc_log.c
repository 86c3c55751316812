/* Service output and readiness pipes. Each service has one persistent pipe
 * for stdout+stderr (init holds the write end, so restarts share it and the
 * order of lines is kept); PID 1 drains it without blocking into the ring
 * buffer and a rate-limited console echo, so a service that floods costs
 * bounded memory and time and can never stall init. No disk I/O here: the
 * logwrite service persists the rings (logs -f --all, ctl_follow.c). */
#include "config.h"
#include "console.h"
#include "control.h"
#include "log.h"
#include "service.h"
#include "svc_logtime.h"
#include "termsafe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define READ_CHUNK	 16384
#define READS_PER_WAKEUP 4    /* then yield: level-triggered epoll calls again */
#define ECHO_RATE	 8192 /* console bytes per second for all services */
#define ECHO_BURST	 16384
#define ECHO_NOTE_MS	 10000

static struct {
	int64_t tokens;
	int64_t last_ms;
	uint64_t dropped;
	int64_t noted_ms;
} echo_budget = {ECHO_BURST, 0, 0, -ECHO_NOTE_MS};

/* Token bucket: a serial console drains ~11 KB/s; writes beyond that block. */
static bool echo_allowed(size_t n)
{
	int64_t now = now_ms();

	echo_budget.tokens += (now - echo_budget.last_ms) * ECHO_RATE / 1000;
	if (echo_budget.tokens > ECHO_BURST)
		echo_budget.tokens = ECHO_BURST;
	echo_budget.last_ms = now;
	if (echo_budget.tokens < (int64_t)n) {
		echo_budget.dropped += n;
		return false;
	}
	echo_budget.tokens -= (int64_t)n;
	/* The note itself is rate-limited too: once per ECHO_NOTE_MS at most. */
	if (echo_budget.dropped && now - echo_budget.noted_ms >= ECHO_NOTE_MS) {
		log_warn("console echo rate limit: %llu bytes not echoed (see keelctl logs)",
			 (unsigned long long)echo_budget.dropped);
		echo_budget.dropped = 0;
		echo_budget.noted_ms = now;
	}
	return true;
}

/* One console line "name: text", control sequences shown escaped: a
 * sandboxed service must not drive root's terminal. */
static void echo_flush(struct service *s)
{
	char line[TERMSAFE_MAX(sizeof(s->echo_line)) + SERVICE_NAME_MAX + 4];
	struct termsafe st = {0};
	size_t n = (size_t)snprintf(line, sizeof(line), "%s: ", s->name);

	n += termsafe_filter(&st, s->echo_line, s->echo_len, line + n);
	n += termsafe_finish(&st, line + n);
	line[n++] = '\n';
	s->echo_len = 0;
	if (echo_allowed(n))
		console_write(line, n); /* never blocks; dropped and counted when full */
}

static void echo_data(struct service *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			echo_flush(s);
			continue;
		}
		s->echo_line[s->echo_len++] = p[i];
		if (s->echo_len == sizeof(s->echo_line))
			echo_flush(s);
	}
}

static void log_data(struct service *s, const char *p, size_t n, bool echo)
{
	svc_log_time_mark(s); /* keelctl logs -t */
	logbuf_append(&s->log, p, n);
	if (echo)
		echo_data(s, p, n);
	svc_log_appended(s);
}

static bool echo_on(const struct service *s)
{
	return s->conf.echo < 0 ? svc_config()->console_echo : s->conf.echo;
}

static void on_log_ready(struct loop_watch *w, uint32_t events)
{
	struct service *s = w->data;
	char buf[READ_CHUNK];

	for (int i = 0; i < READS_PER_WAKEUP; i++) {
		ssize_t n = read(s->log_rd, buf, sizeof(buf));

		if (n > 0) {
			log_data(s, buf, (size_t)n, echo_on(s));
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || errno != EAGAIN) {
			/* Cannot happen while init holds the write end; stop polling. */
			log_warn("%s: log pipe closed", s->name);
			loop_del(&s->log_watch);
		}
		return;
	}
}

void svc_log_note(struct service *s, const char *fmt, ...)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "[keel] ");
	va_list ap;

	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (s->log.data)
		log_data(s, line, (size_t)n, false);
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

int svc_log_open(struct service *s)
{
	int p[2], r;

	if ((r = logbuf_init(&s->log, s->conf.log_buffer)) < 0)
		return r;
	if (pipe2(p, O_CLOEXEC) < 0) {
		r = -errno;
		logbuf_free(&s->log);
		return r;
	}
	s->log_rd = p[0];
	s->log_wr = p[1];
	s->log_watch = (struct loop_watch){.fd = p[0], .on_ready = on_log_ready, .data = s};
	/* Only init's end is non-blocking: services keep ordinary blocking stdio. */
	if ((r = set_nonblock(p[0])) < 0 || (r = loop_add(&s->log_watch, EPOLLIN)) < 0) {
		svc_log_close(s);
		return r;
	}
	return 0;
}

void svc_log_close(struct service *s)
{
	if (s->log_rd >= 0) {
		loop_del(&s->log_watch);
		close(s->log_rd);
		close(s->log_wr);
	}
	s->log_rd = s->log_wr = -1;
	logbuf_free(&s->log);
}

static void on_notify_ready(struct loop_watch *w, uint32_t events)
{
	struct service *s = w->data;
	char buf[64];
	ssize_t n = read(s->notify_rd, buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0 && !memchr(buf, '\n', (size_t)n))
		return; /* s6 protocol: readiness is the newline */
	svc_notify_close(s);
	if (n > 0)
		service_event(s, EV_READY);
}

int svc_notify_open(struct service *s, int *write_end)
{
	int p[2], r;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	s->notify_rd = p[0];
	s->notify_watch = (struct loop_watch){.fd = p[0], .on_ready = on_notify_ready, .data = s};
	if ((r = set_nonblock(p[0])) < 0 || (r = loop_add(&s->notify_watch, EPOLLIN)) < 0) {
		close(p[0]);
		close(p[1]);
		s->notify_rd = -1;
		return r;
	}
	*write_end = p[1];
	return 0;
}

void svc_notify_close(struct service *s)
{
	if (s->notify_rd < 0)
		return;
	loop_del(&s->notify_watch);
	close(s->notify_rd);
	s->notify_rd = -1;
}
