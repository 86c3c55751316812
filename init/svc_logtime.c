/* When each piece of a service's log arrived: a small ring of (ring
 * position, wall-clock ms) pairs, one per read of the log pipe (or keel
 * note), so `keelctl logs -t` can put a time before each line without
 * storing one per line. A line gets the time of the read that brought its
 * first byte; lines older than the oldest pair show no time. */
#include "service.h"
#include "svc_logtime.h"

#include <time.h>

static int64_t wall_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void svc_log_time_mark(struct service *s)
{
	struct log_times *t = &s->log_times;
	unsigned last = (t->next + LOG_TIMES - 1) % LOG_TIMES;
	int64_t ms = wall_ms();

	/* Same position (nothing appended since) or same ms: one pair is enough. */
	if (t->count && (t->pos[last] == s->log.head || t->ms[last] == ms))
		return;
	t->pos[t->next] = s->log.head;
	t->ms[t->next] = ms;
	t->next = (t->next + 1) % LOG_TIMES;
	if (t->count < LOG_TIMES)
		t->count++;
}

int64_t svc_log_time_at(const struct service *s, uint64_t pos)
{
	const struct log_times *t = &s->log_times;

	/* Newest first: the first pair at or before pos is the read that brought it. */
	for (unsigned i = 1; i <= t->count; i++) {
		unsigned k = (t->next + LOG_TIMES - i) % LOG_TIMES;

		if (t->pos[k] <= pos)
			return t->ms[k];
	}
	return -1;
}
