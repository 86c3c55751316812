/* Minimal logger: one line per message, written with a single write(2) so
 * lines from several processes sharing the console do not interleave. */
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

void log_setup(const char *prog, enum log_level max, int fd)
{
	log_prog = prog;
	log_max = max;
	log_fd = fd;
}

void log_set_timestamps(int on)
{
	log_stamp = on;
}

static int log_prefix(char *line, size_t size)
{
	struct timespec ts;

	if (log_stamp && clock_gettime(CLOCK_BOOTTIME, &ts) == 0)
		return snprintf(line, size, "[%5lld.%03ld] %s: ", (long long)ts.tv_sec,
				ts.tv_nsec / 1000000, log_prog);
	return snprintf(line, size, "%s: ", log_prog);
}

__attribute__((format(printf, 1, 0))) static void log_vline(const char *fmt, va_list ap)
{
	char line[1024];
	int n = log_prefix(line, sizeof(line));

	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)write_all(log_fd, line, (size_t)n); /* nowhere to report a failure */
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	if (lvl > log_max)
		return;
	va_start(ap, fmt);
	log_vline(fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline(fmt, ap);
	va_end(ap);
	exit(1);
}
