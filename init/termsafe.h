/* Neutralises terminal control sequences in service output before it reaches
 * root's terminal (console echo, keelctl logs): ESC and the other C0 bytes
 * but tab and newline, DEL, C1 (U+0080..U+009F as UTF-8, or stray 8-bit
 * bytes) are shown as \xNN. NUL passes untouched (a terminal ignores it and
 * binary logs keep it). Valid UTF-8 passes. Pure; state spans chunks. */
#ifndef KEEL_INIT_TERMSAFE_H
#define KEEL_INIT_TERMSAFE_H

#include <stdbool.h>
#include <stddef.h>

struct termsafe {
	unsigned char cont; /* UTF-8 continuation bytes still expected */
	bool held_c2;	    /* 0xC2 held back: it may start a C1 control */
};

/* Worst case output of n input bytes (+ a held byte). */
#define TERMSAFE_MAX(n) (4 * (n) + 8)

/* Filters n bytes of in into out (TERMSAFE_MAX(n) bytes); returns its length. */
size_t termsafe_filter(struct termsafe *st, const char *in, size_t n, char *out);
/* End of stream: writes a held byte, returns its length (0..4). */
size_t termsafe_finish(struct termsafe *st, char *out);

#endif
