/* Differential test: init's tiny printf core against the C library's. */
#define vsnprintf tiny_vsnprintf
#define snprintf tiny_snprintf
#define vfprintf tiny_vfprintf
#define fprintf tiny_fprintf
#define printf tiny_printf
#include "../../init/tiny_printf.c"
#undef vsnprintf
#undef snprintf
#undef vfprintf
#undef fprintf
#undef printf

#include "tap.h"

int snprintf(char *restrict, size_t, const char *restrict, ...);
int printf(const char *restrict, ...);

#define SAME(...)                                                                   \
	do {                                                                        \
		char want[256], got[256];                                           \
		int nw = snprintf(want, sizeof(want), __VA_ARGS__);                 \
		int ng = tiny_snprintf(got, sizeof(got), __VA_ARGS__);              \
		CHECK(nw == ng && strcmp(want, got) == 0, "%-28s -> \"%s\"", #__VA_ARGS__, \
		      got);                                                         \
		if (nw != ng || strcmp(want, got) != 0)                             \
			printf("# want \"%s\" (%d), got (%d)\n", want, nw, ng);     \
	} while (0)

int main(void)
{
	char small[5];
	long long big = -9223372036854775807LL - 1;

	SAME("plain text");
	SAME("%d %i %u", -42, 7, 3000000000u);
	SAME("%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42);
	SAME("%ld %lu %lld %llu", -1L, 18446744073709551615UL, big, 18446744073709551615ULL);
	SAME("%zu %zd %jd %td", (size_t)123, (ssize_t)-5, (intmax_t)-9, (ptrdiff_t)-3);
	SAME("%hhd %hd %hhu", (signed char)-3, (short)-7000, (unsigned char)250);
	SAME("%x %X %o %04x %#x", 255u, 255u, 8u, 10u, 0u);
	SAME("%s|%10s|%-10s|%.3s|%.*s|%*s", "abc", "abc", "abc", "abcdef", 2, "xyz", -5, "l");
	SAME("%c%c%5c", 'a', 'b', 'c');
	SAME("%.5d|%.0d|%8.3d|%-8.3d|%08.3d", 42, 0, 7, 7, 7);
	SAME("100%% sure %s", "yes");
	SAME("%p", (void *)0x1234);
	SAME("%.64s", "short");
	SAME("%9lld|%5lld|%03ld", 12345LL, -1LL, 5L);
	errno = ENOENT;
	SAME("open: %m");
	CHECK(tiny_snprintf(small, sizeof(small), "%s", "truncated") == 9 &&
	      strcmp(small, "trun") == 0, "truncates and returns the full length");
	CHECK(tiny_snprintf(NULL, 0, "%d", 12345) == 5, "size 0 only counts");
	CHECK(tiny_snprintf(small, sizeof(small), "%s", (char *)NULL) == 6, "NULL string");
	return TAP_DONE();
}
