/* Minimal logger: one line per message, written with a single write(2) so
 * lines from several processes sharing the console do not interleave. PID 1
 * sets a sink instead (its non-blocking console queue): no write here may
 * ever block init. */
#include "log.h"
#include "io.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *log_prog = "keel";
static enum log_level log_max = LOG_INFO;
static int log_fd = 2;
static int log_stamp;
static int log_json;
static void (*log_sink)(const char *line, size_t len);

void log_setup(const char *prog, enum log_level max, int fd)
{
	log_prog = prog;
	log_max = max;
	log_fd = fd;
}

void log_set_sink(void (*sink)(const char *line, size_t len))
{
	log_sink = sink;
}

/* One message, one write: the sink (PID 1's non-blocking console) or fd. */
static void log_emit(const char *line, size_t len)
{
	if (log_sink)
		log_sink(line, len);
	else
		(void)write_all(log_fd, line, len); /* nowhere to report a failure */
}

void log_set_timestamps(int on)
{
	log_stamp = on;
}

void log_set_json(int on)
{
	log_json = on;
}

/* JSON string body of text: quotes, backslashes and control bytes escaped;
 * stops early rather than split an escape. Returns the bytes written. */
static size_t json_escape(char *out, size_t size, const char *text)
{
	size_t n = 0;

	for (; *text && n + 7 < size; text++) {
		unsigned char c = (unsigned char)*text;
		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c < 0x20) {
			n += (size_t)snprintf(out + n, size - n, "\\u%04x", c);
		} else {
			out[n++] = (char)c;
		}
	}
	return n;
}

static void log_write_json(enum log_level lvl, const char *msg)
{
	static const char *const names[] = {
	    [LOG_ERR] = "error", [LOG_WARN] = "warning", [LOG_INFO] = "info", [LOG_DEBUG] = "debug"};
	char line[2200];
	int n = snprintf(line, sizeof(line), "{\"level\":\"%s\",\"msg\":\"", names[lvl]);

	n += (int)json_escape(line + n, sizeof(line) - (size_t)n - 4, msg);
	n += snprintf(line + n, sizeof(line) - (size_t)n, "\"}\n");
	log_emit(line, (size_t)n);
}

static int log_prefix(char *line, size_t size)
{
	struct timespec ts;

	if (log_stamp && clock_gettime(CLOCK_BOOTTIME, &ts) == 0)
		return snprintf(line, size, "[%5lld.%03ld] %s: ", (long long)ts.tv_sec,
				ts.tv_nsec / 1000000, log_prog);
	return snprintf(line, size, "%s: ", log_prog);
}

__attribute__((format(printf, 2, 0))) static void log_vline(enum log_level lvl, const char *fmt,
								va_list ap)
{
	char line[1024];
	int n = log_json ? 0 : log_prefix(line, sizeof(line));

	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	if (log_json) {
		line[n] = '\0';
		log_write_json(lvl, line);
		return;
	}
	line[n++] = '\n';
	log_emit(line, (size_t)n);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	if (lvl > log_max)
		return;
	va_start(ap, fmt);
	log_vline(lvl, fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
