/* Error object helpers; see err.h for the convention. */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int kerr_set(struct kerr *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code ? -code : -EINVAL;
}

int kerr_wrap(struct kerr *err, const char *fmt, ...)
{
	char ctx[256], old[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation keeps the outermost context, which names the operation. */
	if (snprintf(err->msg, sizeof(err->msg), "%s: %s", ctx, old) < 0)
		err->msg[0] = '\0';
	return err->code ? -err->code : -EINVAL;
}

const char *kerr_str(const struct kerr *err, char *buf, size_t size)
{
	if (err->code)
		snprintf(buf, size, "%s: %s", err->msg, strerror(err->code));
	else
		snprintf(buf, size, "%s", err->msg);
	return buf;
}
