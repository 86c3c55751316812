/* Ring buffer over absolute positions: byte at position p lives in
 * data[p % cap] while head - cap <= p < head. */
#include "logbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int logbuf_init(struct logbuf *lb, size_t cap)
{
	lb->head = 0;
	lb->cap = cap ? cap : 1;
	lb->data = malloc(lb->cap);
	return lb->data ? 0 : -ENOMEM;
}

void logbuf_free(struct logbuf *lb)
{
	free(lb->data);
	lb->data = NULL;
}

void logbuf_append(struct logbuf *lb, const char *data, size_t len)
{
	if (len > lb->cap) {
		/* Only the newest cap bytes can survive. */
		lb->head += len - lb->cap;
		data += len - lb->cap;
		len = lb->cap;
	}
	while (len) {
		size_t at = (size_t)(lb->head % lb->cap);
		size_t n = lb->cap - at < len ? lb->cap - at : len;

		memcpy(lb->data + at, data, n);
		lb->head += n;
		data += n;
		len -= n;
	}
}

uint64_t logbuf_oldest(const struct logbuf *lb)
{
	return lb->head > lb->cap ? lb->head - lb->cap : 0;
}

size_t logbuf_read(const struct logbuf *lb, uint64_t *pos, char *out, size_t max, uint64_t *dropped)
{
	uint64_t oldest = logbuf_oldest(lb);
	size_t done = 0;

	*dropped = 0;
	if (*pos < oldest) {
		*dropped = oldest - *pos;
		*pos = oldest;
	}
	if (*pos > lb->head)
		*pos = lb->head;
	while (done < max && *pos < lb->head) {
		size_t at = (size_t)(*pos % lb->cap);
		size_t n = lb->cap - at;

		if (n > max - done)
			n = max - done;
		if (n > lb->head - *pos)
			n = (size_t)(lb->head - *pos);
		memcpy(out + done, lb->data + at, n);
		done += n;
		*pos += n;
	}
	return done;
}

uint64_t logbuf_tail_lines(const struct logbuf *lb, unsigned n)
{
	uint64_t oldest = logbuf_oldest(lb), p = lb->head;

	if (n == 0)
		return lb->head;
	/* A final newline ends the last line rather than starting a new one. */
	if (p > oldest && lb->data[(p - 1) % lb->cap] == '\n')
		p--;
	while (p > oldest) {
		if (lb->data[(p - 1) % lb->cap] == '\n' && --n == 0)
			return p;
		p--;
	}
	return oldest;
}
