/* A small printf core for init, replacing musl's (10 KB of a 100 KB binary,
 * mostly floating point that PID 1 never prints). Defining the stdio entry
 * points here keeps musl's vfprintf.o out of the static link.
 * Supports flags -0+ and space, width/precision (also *), length hh h l ll z j t,
 * and d i u x X o c s p m %. Anything else prints as-is. */
#include "tiny_printf.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct out {
	char *buf;
	size_t size, len; /* len counts every byte, also those past size */
};

enum lenmod { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_MAX, LEN_PTRDIFF };

struct spec {
	int left, zero, plus, space, width, prec;
	enum lenmod len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void emit(struct out *o, const struct spec *s, const char *pre, const char *body,
		 int blen, int zeros)
{
	int plen = (int)strlen(pre), total = plen + zeros + blen;

	if (!s->left && !s->zero)
		pad(o, ' ', s->width - total);
	while (*pre)
		put(o, *pre++);
	if (!s->left && s->zero)
		pad(o, '0', s->width - total);
	pad(o, '0', zeros);
	while (blen-- > 0)
		put(o, *body++);
	if (s->left)
		pad(o, ' ', s->width - total);
}

static void fmt_int(struct out *o, struct spec *s, uintmax_t v, int neg, unsigned base,
		    int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[3 * sizeof(uintmax_t) + 1], *p = tmp + sizeof(tmp);
	const char *pre = neg ? "-" : s->plus ? "+" : s->space ? " " : "";
	int n, zeros;

	do {
		*--p = digits[v % base];
		v /= base;
	} while (v);
	n = (int)(tmp + sizeof(tmp) - p);
	if (s->prec == 0 && n == 1 && *p == '0')
		n = 0;
	zeros = s->prec > n ? s->prec - n : 0;
	if (s->prec >= 0)
		s->zero = 0;
	emit(o, s, pre, p, n, zeros);
}

/* va_arg with the exact promoted type of each length modifier. */
static uintmax_t arg_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->len) {
	case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG: return va_arg(*ap, unsigned long);
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_SIZE: return va_arg(*ap, size_t);
	case LEN_MAX: return va_arg(*ap, uintmax_t);
	case LEN_PTRDIFF: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	case LEN_INT: break;
	}
	return va_arg(*ap, unsigned);
}

static intmax_t arg_signed(const struct spec *s, va_list *ap)
{
	switch (s->len) {
	case LEN_CHAR: return (signed char)va_arg(*ap, int);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_LONG: return va_arg(*ap, long);
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_SIZE: return va_arg(*ap, ssize_t);
	case LEN_MAX: return va_arg(*ap, intmax_t);
	case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
	case LEN_INT: break;
	}
	return va_arg(*ap, int);
}

/* Parses flags, width, precision and length after '%'; returns the
 * conversion character's position. */
static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
	static const struct {
		const char *text;
		enum lenmod len;
	} lens[] = { { "hh", LEN_CHAR }, { "h", LEN_SHORT }, { "ll", LEN_LLONG },
		     { "l", LEN_LONG },  { "z", LEN_SIZE },   { "j", LEN_MAX },
		     { "t", LEN_PTRDIFF } };

	memset(s, 0, sizeof(*s));
	s->prec = -1;
	for (;; f++) {
		if (*f == '-') s->left = 1;
		else if (*f == '0') s->zero = 1;
		else if (*f == '+') s->plus = 1;
		else if (*f == ' ') s->space = 1;
		else if (*f != '#') break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->left = 1;
			s->width = -s->width;
		}
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		s->width = s->width * 10 + (*f - '0');
	if (*f == '.') {
		f++;
		s->prec = 0;
		if (*f == '*') {
			s->prec = va_arg(*ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			s->prec = s->prec * 10 + (*f - '0');
	}
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t n = strlen(lens[i].text);
		if (strncmp(f, lens[i].text, n) == 0) {
			s->len = lens[i].len;
			f += n;
			break;
		}
	}
	return f;
}

static void fmt_str(struct out *o, struct spec *s, const char *str)
{
	int n;

	if (!str)
		str = "(null)";
	n = (int)(s->prec >= 0 ? strnlen(str, (size_t)s->prec) : strlen(str));
	s->zero = 0;
	emit(o, s, "", str, n, 0);
}

/* One conversion; returns 0, or -1 for an unknown one (printed as-is). */
static int convert(struct out *o, struct spec *s, char c, va_list *ap, int saved_errno)
{
	char ch;
	intmax_t v;

	switch (c) {
	case 'd': case 'i':
		v = arg_signed(s, ap);
		fmt_int(o, s, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0, 10, 0);
		return 0;
	case 'u': fmt_int(o, s, arg_unsigned(s, ap), 0, 10, 0); return 0;
	case 'x': fmt_int(o, s, arg_unsigned(s, ap), 0, 16, 0); return 0;
	case 'X': fmt_int(o, s, arg_unsigned(s, ap), 0, 16, 1); return 0;
	case 'o': fmt_int(o, s, arg_unsigned(s, ap), 0, 8, 0); return 0;
	case 'p':
		s->prec = -1;
		emit(o, s, "0x", "", 0, 0);
		s->width = 0;
		fmt_int(o, s, (uintptr_t)va_arg(*ap, void *), 0, 16, 0);
		return 0;
	case 'c':
		ch = (char)va_arg(*ap, int);
		s->zero = 0;
		emit(o, s, "", &ch, 1, 0);
		return 0;
	case 's': fmt_str(o, s, va_arg(*ap, const char *)); return 0;
	case 'm': fmt_str(o, s, strerror(saved_errno)); return 0;
	case '%': put(o, '%'); return 0;
	default: return -1;
	}
}

__attribute__((format(__printf__, 3, 0))) int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	int saved_errno = errno;
	struct spec s;
	va_list aq;

	va_copy(aq, ap);
	for (const char *f = fmt; *f; f++) {
		const char *start = f;
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &s, &aq);
		if (!*f || convert(&o, &s, *f, &aq, saved_errno) < 0) {
			while (start <= f && *start)
				put(&o, *start++);
			if (!*f)
				break;
		}
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT32_MAX ? -1 : (int)o.len;
}

__attribute__((format(__printf__, 3, 4))) int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* printf/fprintf format into a stack buffer, then go through stdio so their
 * output stays ordered with fputs/fwrite; longer output is truncated. */
__attribute__((format(__printf__, 2, 0))) int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	char line[TINY_PRINTF_MAX];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	return fwrite(line, 1, (size_t)n, f) == (size_t)n ? n : -1;
}

__attribute__((format(__printf__, 2, 3))) int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

__attribute__((format(__printf__, 1, 2))) int printf(const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}
