/* Terminal-safe filter: controls escaped, UTF-8 and NUL kept, C1 caught in
 * both encodings, state carried across chunk boundaries. */
#include "../../init/termsafe.h"
#include "tap.h"

#include <string.h>

/* Filters in (n bytes) in chunks of step; returns out as a C string with
 * NUL shown as "<0>". */
static const char *run(const char *in, size_t n, size_t step)
{
	static char out[1024], shown[1200];
	struct termsafe st = {0};
	size_t len = 0, j = 0;

	for (size_t i = 0; i < n; i += step)
		len += termsafe_filter(&st, in + i, n - i < step ? n - i : step, out + len);
	len += termsafe_finish(&st, out + len);
	for (size_t i = 0; i < len; i++) {
		if (out[i] == '\0') {
			memcpy(shown + j, "<0>", 3);
			j += 3;
		} else {
			shown[j++] = out[i];
		}
	}
	shown[j] = '\0';
	return shown;
}

#define RUN(lit, step) run(lit, sizeof(lit) - 1, step)

int main(void)
{
	for (size_t step = 1; step <= 64; step *= 64) {
		CHECK(!strcmp(RUN("plain text\tand tab\n", step), "plain text\tand tab\n"),
		      "printable, tab and newline pass (chunks of %zu)", step);
		CHECK(!strcmp(RUN("\033[2J\033]0;title\007", step), "\\x1b[2J\\x1b]0;title\\x07"),
		      "ESC and BEL escaped (chunks of %zu)", step);
		CHECK(!strcmp(RUN("a\rb\x7f", step), "a\\x0db\\x7f"), "CR and DEL escaped");
		CHECK(!strcmp(RUN("x\0y", step), "x<0>y"), "NUL passes (chunks of %zu)", step);
		CHECK(!strcmp(RUN("\xc2\x9b"
				  "31m",
				  step),
			      "\\xc2\\x9b31m"),
		      "C1 CSI as UTF-8 escaped (chunks of %zu)", step);
		CHECK(!strcmp(RUN("\x9b"
				  "31m",
				  step),
			      "\\x9b31m"),
		      "C1 CSI as one byte escaped");
		CHECK(!strcmp(RUN("h\xc3\xa9 \xe2\x9c\x93 \xc2\xa0", step),
			      "h\xc3\xa9 \xe2\x9c\x93 \xc2\xa0"),
		      "UTF-8 text passes (chunks of %zu)", step);
		CHECK(!strcmp(RUN("end\xc2", step), "end\\xc2"),
		      "a held 0xC2 at the end is escaped");
		CHECK(!strcmp(RUN("\xff\xc0", step), "\\xff\\xc0"), "never-valid bytes escaped");
	}
	return TAP_DONE();
}
