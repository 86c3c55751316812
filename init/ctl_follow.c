/* Streaming logs to a control client: one service's ring as raw bytes
 * (keelctl logs [-f] NAME), or every service's ring as "NAME: line" records
 * (logs -f --all, what the log-writer service reads). Only complete lines go
 * into records, so lines of different services never mix; a line longer
 * than FOLLOW_LINE_MAX is cut into records of that size. */
#include "control.h"
#include "service.h"
#include "supervisor_ctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FOLLOW_CHUNK	16384
#define FOLLOW_LINE_MAX 4096

int follow_begin(struct ctl_follow *f, const struct ctl_reply *r)
{
	memset(f, 0, sizeof(*f));
	if (!r->follow_all)
		return 0;
	f->n = supervisor_count();
	if (!(f->pos = calloc(f->n ? f->n : 1, sizeof(*f->pos))))
		return -ENOMEM;
	/* From the oldest byte held: a restarted writer loses nothing the
	 * rings still have (it may write some lines twice). */
	for (size_t i = 0; i < f->n; i++) {
		const struct service *s = supervisor_at(i);
		f->pos[i] = s->log.data ? logbuf_oldest(&s->log) : 0;
	}
	return 0;
}

void follow_end(struct ctl_follow *f)
{
	free(f->pos);
	memset(f, 0, sizeof(*f));
}

static void note_dropped(struct ctl_reply *r, const char *name, uint64_t dropped)
{
	if (dropped)
		reply_printf(r, "%s%s[keel] %llu bytes dropped (reader too slow)\n",
			     name ? name : "", name ? ": " : "", (unsigned long long)dropped);
}

/* Appends the complete lines of data as records; returns the bytes used. */
static size_t put_records(struct ctl_reply *r, const char *name, const char *data, size_t n)
{
	size_t used = 0;

	while (used < n) {
		const char *nl = memchr(data + used, '\n', n - used);
		size_t len = nl ? (size_t)(nl - (data + used)) + 1 : n - used;

		if (!nl && len < FOLLOW_LINE_MAX)
			break; /* the rest of this line is not written yet */
		if (len > FOLLOW_LINE_MAX)
			len = FOLLOW_LINE_MAX;
		reply_printf(r, "%s: ", name);
		reply_append(r, data + used, len);
		if (data[used + len - 1] != '\n')
			reply_printf(r, "\n");
		used += len;
	}
	return used;
}

static void fill_all(struct ctl_follow *f, struct ctl_reply *r)
{
	static char chunk[FOLLOW_CHUNK];
	size_t count = supervisor_count() < f->n ? supervisor_count() : f->n;

	/* Round robin from a moving start: one flooding service cannot keep
	 * the others' lines out of the stream. */
	for (size_t k = 0; k < count && r->len < FOLLOW_CHUNK; k++) {
		size_t i = (f->next + k) % count;
		const struct service *s = supervisor_at(i);
		uint64_t pos = f->pos[i], dropped;
		size_t n;

		if (!s->log.data)
			continue;
		n = logbuf_read(&s->log, &pos, chunk, FOLLOW_CHUNK / 4, &dropped);
		note_dropped(r, s->name, dropped);
		f->pos[i] = pos - (n - put_records(r, s->name, chunk, n));
	}
	f->next++;
}

void follow_fill(struct ctl_follow *f, struct ctl_reply *r)
{
	static char chunk[FOLLOW_CHUNK];
	uint64_t dropped;
	size_t n;

	r->len = 0;
	if (r->follow_all) {
		fill_all(f, r);
		return;
	}
	n = logbuf_read(&r->follow->log, &r->follow_pos, chunk, sizeof(chunk), &dropped);
	note_dropped(r, NULL, dropped);
	reply_append(r, chunk, n);
}

bool follow_wants(const struct ctl_follow *f, const struct ctl_reply *r, const struct service *s)
{
	(void)f;
	return r->follow_all || r->follow == s;
}
