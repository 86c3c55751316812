/* Log ring buffer: wrap-around, overwrite of the oldest bytes, readers that
 * fall behind, and the last-N-lines position. */
#include "../../init/logbuf.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static size_t read_all_from(const struct logbuf *lb, uint64_t pos, char *out, size_t max,
			    uint64_t *dropped)
{
	size_t n = logbuf_read(lb, &pos, out, max, dropped);

	out[n] = '\0';
	return n;
}

static void check_wrap(void)
{
	struct logbuf lb;
	char out[64];
	uint64_t dropped, pos = 0;

	CHECK(logbuf_init(&lb, 8) == 0, "init 8 bytes");
	logbuf_append(&lb, "abcde", 5);
	read_all_from(&lb, 0, out, sizeof(out) - 1, &dropped);
	CHECK(!strcmp(out, "abcde") && dropped == 0, "read back before wrap: %s", out);
	logbuf_append(&lb, "fghij", 5);
	read_all_from(&lb, 0, out, sizeof(out) - 1, &dropped);
	CHECK(!strcmp(out, "cdefghij") && dropped == 2,
	      "after wrap the oldest 2 bytes are gone: %s", out);
	CHECK(logbuf_oldest(&lb) == 2 && lb.head == 10, "positions are absolute");
	logbuf_append(&lb, "0123456789XYZ", 13);
	read_all_from(&lb, 0, out, sizeof(out) - 1, &dropped);
	CHECK(!strcmp(out, "56789XYZ"), "oversized append keeps the newest cap bytes: %s", out);
	CHECK(strlen(out) == 8, "exactly cap bytes held");
	pos = lb.head - 3;
	CHECK(logbuf_read(&lb, &pos, out, 2, &dropped) == 2 && !memcmp(out, "XY", 2) &&
		  pos == lb.head - 1,
	      "partial read advances the position");
	CHECK(logbuf_read(&lb, &pos, out, 10, &dropped) == 1 &&
		  logbuf_read(&lb, &pos, out, 10, &dropped) == 0,
	      "a follower at head reads nothing");
	logbuf_free(&lb);
}

static void check_tail(void)
{
	struct logbuf lb;
	char out[128];
	uint64_t dropped;

	logbuf_init(&lb, 64);
	logbuf_append(&lb, "one\ntwo\nthree\n", 14);
	read_all_from(&lb, logbuf_tail_lines(&lb, 2), out, sizeof(out) - 1, &dropped);
	CHECK(!strcmp(out, "two\nthree\n"), "last 2 lines");
	read_all_from(&lb, logbuf_tail_lines(&lb, 10), out, sizeof(out) - 1, &dropped);
	CHECK(!strcmp(out, "one\ntwo\nthree\n"), "more lines than held gives everything");
	logbuf_append(&lb, "part", 4);
	read_all_from(&lb, logbuf_tail_lines(&lb, 1), out, sizeof(out) - 1, &dropped);
	CHECK(!strcmp(out, "part"), "a partial last line counts as a line: %s", out);
	CHECK(logbuf_tail_lines(&lb, 0) == lb.head, "0 lines is the head");
	logbuf_free(&lb);
}

/* Random appends against a flat reference copy. */
static void check_random(void)
{
	struct logbuf lb;
	char ref[20000], out[300];
	size_t reflen = 0;
	int bad = 0;
	uint64_t dropped;

	srand(7);
	logbuf_init(&lb, 257);
	for (int i = 0; i < 200; i++) {
		char chunk[100];
		size_t n = (size_t)rand() % sizeof(chunk);

		for (size_t j = 0; j < n; j++)
			chunk[j] = (char)('a' + rand() % 26);
		logbuf_append(&lb, chunk, n);
		memcpy(ref + reflen, chunk, n);
		reflen += n;
		size_t got = read_all_from(&lb, 0, out, sizeof(out) - 1, &dropped);
		size_t want = reflen < 257 ? reflen : 257;
		if (got != want || memcmp(out, ref + reflen - want, want) ||
		    dropped != reflen - want)
			bad++;
	}
	CHECK(bad == 0, "200 random appends match a reference (%d mismatches)", bad);
	logbuf_free(&lb);
}

int main(void)
{
	check_wrap();
	check_tail();
	check_random();
	return TAP_DONE();
}
