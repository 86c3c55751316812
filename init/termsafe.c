/* Byte filter for service output shown on a terminal (see termsafe.h). A
 * small UTF-8 state machine: continuation bytes of a valid sequence pass, so
 * text in any script is shown as written; anything a terminal could act on
 * is printed as \xNN instead. */
#include "termsafe.h"

static size_t escaped(unsigned char b, char *out)
{
	static const char hex[] = "0123456789abcdef";

	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[b >> 4];
	out[3] = hex[b & 15];
	return 4;
}

/* Bytes a lead byte announces; 0 for one that is never valid (C0, C1, F5+). */
static unsigned char utf8_follow(unsigned char b)
{
	if (b >= 0xc2 && b <= 0xdf)
		return 1;
	if (b >= 0xe0 && b <= 0xef)
		return 2;
	if (b >= 0xf0 && b <= 0xf4)
		return 3;
	return 0;
}

static bool is_cont(unsigned char b)
{
	return b >= 0x80 && b <= 0xbf;
}

static size_t one_byte(struct termsafe *st, unsigned char b, char *out)
{
	size_t n = 0;

	if (st->held_c2) {
		st->held_c2 = false;
		if (b >= 0x80 && b <= 0x9f) /* U+0080..U+009F: C1 controls */
			return escaped(0xc2, out) + escaped(b, out + 4);
		out[n++] = (char)0xc2;
		st->cont = 1;
	}
	if (st->cont && is_cont(b)) {
		st->cont--;
		out[n++] = (char)b;
		return n;
	}
	st->cont = 0;
	if (b == '\t' || b == '\n' || b == '\0' || (b >= 0x20 && b < 0x7f)) {
		out[n++] = (char)b;
	} else if (b == 0xc2) {
		st->held_c2 = true;
	} else if ((st->cont = utf8_follow(b))) {
		out[n++] = (char)b;
	} else {
		n += escaped(b, out + n); /* C0, DEL, stray 0x80+, invalid lead */
	}
	return n;
}

size_t termsafe_filter(struct termsafe *st, const char *in, size_t n, char *out)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += one_byte(st, (unsigned char)in[i], out + len);
	return len;
}

size_t termsafe_finish(struct termsafe *st, char *out)
{
	size_t n = st->held_c2 ? escaped(0xc2, out) : 0;

	st->held_c2 = false;
	st->cont = 0;
	return n;
}
