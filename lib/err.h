/* keel's one error idiom: fallible functions return 0 or -errno and, where
 * context helps, fill a struct kerr. Callers add context while unwinding;
 * only main() (or PID 1's logger) prints it. */
#ifndef KEEL_ERR_H
#define KEEL_ERR_H

#include <stddef.h>

struct kerr {
	int code;       /* positive errno, 0 when no errno applies */
	char msg[512];  /* "unable to mount proc on /proc" style, no prefix */
};

/* Sets err (if non-NULL) and returns -code (or -EINVAL when code is 0). */
int kerr_set(struct kerr *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends "context: " to an already set message; returns the stored -code. */
int kerr_wrap(struct kerr *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Formats "msg: strerror(code)" into buf. */
const char *kerr_str(const struct kerr *err, char *buf, size_t size);

#endif
