/* `start`: releases a created container. The init is blocked opening
 * exec.fifo for writing; our open for reading lets it through, and the
 * byte it writes proves it did; EOF after it that execve worked.
 * Removing the fifo marks it running. */
#include "hooks.h"
#include "shim.h"
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

/* The init may die instead of writing; poll in slices and recheck it.
 * After its "0" the init keeps the fifo open until execve closes it (EOF:
 * started) or writes why execve failed. */
static int fifo_read(int fd, const char *root, const struct state *s, struct kerr *err)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char buf[512];
	size_t got = 0;

	for (;;) {
		int n = poll(&p, 1, 100);
		if (n < 0 && errno != EINTR)
			return kerr_set(err, errno, "poll exec.fifo");
		if (n > 0) {
			ssize_t r = read(fd, buf + got, sizeof(buf) - 1 - got);
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (r > 0 && (got += (size_t)r) < sizeof(buf) - 1)
				continue;
			break; /* EOF, an error or a full buffer */
		}
		if (!got && state_status(root, s) == ST_STOPPED)
			break;
	}
	buf[got] = '\0';
	if (!got || buf[0] != '0')
		return kerr_set(err, 0, "container \"%s\" exited before it started", s->id);
	if (got > 1)
		return kerr_set(err, 0, "container \"%s\": %s", s->id, buf + 1);
	return 0;
}

int container_start(const struct shim_global *g, const char *id, struct kerr *err)
{
	struct state s;
	char path[4096];
	int fd, r;

	if ((r = state_read(g->root, id, &s, err)) < 0)
		return r;
	switch (state_status(g->root, &s)) {
	case ST_CREATED:
		break;
	case ST_RUNNING:
	case ST_PAUSED:
		return kerr_set(err, 0, "container \"%s\" is already running", id);
	case ST_STOPPED:
		return kerr_set(err, 0, "cannot start a container that has stopped");
	}
	snprintf(path, sizeof(path), "%s/%s/%s", g->root, id, STATE_FIFO);
	/* O_NONBLOCK: a reader's open does not wait for a writer. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return kerr_set(err, errno, "unable to open %s", path);
	r = fifo_read(fd, g->root, &s, err);
	close(fd);
	if (r == 0 && unlink(path) < 0)
		return kerr_set(err, errno, "unable to remove %s", path);
	if (r == 0)
		hooks_run_after(&s, HOOK_POSTSTART, "running");
	return r;
}

int cmd_start(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	if (argc != 2)
		return kerr_set(err, 0, "start: expected exactly one container ID");
	return container_start(g, argv[1], err);
}
