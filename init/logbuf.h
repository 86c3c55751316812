/* A per-service log ring buffer: bounded memory, oldest bytes overwritten.
 * Positions are absolute byte counts since creation, so a reader (keelctl
 * logs -f) can follow the stream and notice when it fell behind. Pure. */
#ifndef KEEL_INIT_LOGBUF_H
#define KEEL_INIT_LOGBUF_H

#include <stddef.h>
#include <stdint.h>

struct logbuf {
	char *data;
	size_t cap;
	uint64_t head; /* total bytes ever appended; data[head % cap] is next */
};

/* 0 or -ENOMEM. cap >= 1. */
int logbuf_init(struct logbuf *lb, size_t cap);
void logbuf_free(struct logbuf *lb);
void logbuf_append(struct logbuf *lb, const char *data, size_t len);
/* Oldest position still held. */
uint64_t logbuf_oldest(const struct logbuf *lb);
/* Copies up to max bytes from *pos (moved up to the oldest held byte first;
 * *dropped gets how many were lost) and advances *pos; returns bytes copied. */
size_t logbuf_read(const struct logbuf *lb, uint64_t *pos, char *out, size_t max,
		   uint64_t *dropped);
/* Position where the last n lines start (a trailing partial line counts). */
uint64_t logbuf_tail_lines(const struct logbuf *lb, unsigned n);

#endif
