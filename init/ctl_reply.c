/* Building a control reply: text capped at REPLY_MAX so a huge status can
 * never eat PID 1's memory, "ERR" lines, JSON strings (the one JSON
 * escaper, keelctl's too). Pure. */
#include "control.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLY_MAX (256 * 1024)

/* Makes room for n more bytes and a NUL; false when capped or out of memory
 * (the tail is lost, PID 1's memory is not). */
static bool reply_room(struct ctl_reply *r, size_t n)
{
	size_t cap;
	char *p;

	if (r->len + n + 1 > REPLY_MAX)
		return false;
	if (r->len + n + 1 <= r->cap)
		return true;
	cap = (r->len + n + 1) * 2;
	if (!(p = realloc(r->buf, cap)))
		return false;
	r->buf = p;
	r->cap = cap;
	return true;
}

__attribute__((format(printf, 2, 0))) static void reply_vprintf(struct ctl_reply *r,
								const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !reply_room(r, (size_t)n))
		return;
	vsnprintf(r->buf + r->len, (size_t)n + 1, fmt, ap);
	r->len += (size_t)n;
}

void reply_append(struct ctl_reply *r, const char *data, size_t n)
{
	if (!reply_room(r, n))
		return;
	memcpy(r->buf + r->len, data, n); /* binary: NUL bytes are log data too */
	r->len += n;
}

void reply_printf(struct ctl_reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reply_vprintf(r, fmt, ap);
	va_end(ap);
}

void reply_error(struct ctl_reply *r, const char *fmt, ...)
{
	va_list ap;

	r->len = 0;
	r->error = true;
	r->follow = NULL;
	r->follow_all = r->follow_forever = false;
	reply_printf(r, "ERR ");
	va_start(ap, fmt);
	reply_vprintf(r, fmt, ap);
	va_end(ap);
	reply_printf(r, "\n");
}

size_t json_escape(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && size; s++) {
		unsigned char c = (unsigned char)*s;
		char piece[8];
		int len = c == '"' || c == '\\' ? snprintf(piece, sizeof(piece), "\\%c", c)
			  : c < 0x20		 ? snprintf(piece, sizeof(piece), "\\u%04x", c)
						 : snprintf(piece, sizeof(piece), "%c", c);

		if (n + (size_t)len >= size)
			break; /* cut at a whole escape, never inside one */
		memcpy(out + n, piece, (size_t)len);
		n += (size_t)len;
	}
	if (size)
		out[n] = '\0';
	return n;
}

void reply_json_string(struct ctl_reply *r, const char *s)
{
	char buf[JSON_ESCAPED_MAX];

	json_escape(s, buf, sizeof(buf));
	reply_printf(r, "\"%s\"", buf);
}
