/* The control socket server. Clients live in a fixed table (no allocation
 * per connection beyond the reply, so the loop's pointers stay valid even
 * for a client dropped in the same epoll batch). Every client has a
 * deadline: CONTROL_REQUEST_MS to send its line, CONTROL_WRITE_MS to take
 * pending output; a follower with nothing pending waits without one.
 * Followers (logs -f) count against their own limit, so they can never take
 * the slots that status and poweroff need. Running out of fds pauses
 * accept() for a while instead of spinning on a listener that stays ready. */
#include "config.h"
#include "control.h"
#include "io.h"
#include "log.h"
#include "service.h"
#include "supervisor_ctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define CONTROL_CLIENTS	   16 /* requests being read or answered */
#define CONTROL_FOLLOWERS  8  /* logs -f streams, on top of those */
#define CONTROL_SLOTS	   (CONTROL_CLIENTS + CONTROL_FOLLOWERS)
#define CONTROL_REQUEST_MS 2000
#define CONTROL_WRITE_MS   5000
#define ACCEPT_PAUSE_MS	   250
#define ACCEPT_WARN_MS	   10000 /* one warning per 10 s of fd shortage */

struct client {
	struct loop_watch w; /* w.fd < 0: slot free */
	char in[CONTROL_REQUEST_MAX];
	size_t in_len;
	struct ctl_reply out;
	struct ctl_follow follow;
	size_t out_off;
	int64_t deadline;
	bool root;     /* peer uid 0; else the log writer, for CONTROL_FOLLOW_ALL only */
	bool follower; /* counted against CONTROL_FOLLOWERS */
};

static struct client clients[CONTROL_SLOTS];
static struct loop_watch listener = {.fd = -1};
static int64_t accept_resume = -1; /* accept() paused after EMFILE until then */

/* Unread input would turn close() into a reset that can beat our reply to
 * the client; read a bounded amount of it first. */
static void close_drained(int fd)
{
	char junk[4096];

	for (int i = 0; i < 16 && recv(fd, junk, sizeof(junk), MSG_DONTWAIT) > 0; i++)
		;
	close(fd);
}

static void client_drop(struct client *c)
{
	loop_del(&c->w);
	close_drained(c->w.fd);
	c->w.fd = -1;
	free(c->out.buf);
	memset(&c->out, 0, sizeof(c->out));
	follow_end(&c->follow);
	c->follower = false;
}

static bool streaming(const struct client *c)
{
	return c->out.follow || c->out.follow_all;
}

/* Moves new log bytes into the reply buffer. */
static void client_refill(struct client *c)
{
	follow_fill(&c->follow, &c->out);
	c->out_off = 0;
}

/* Writes what it can; returns false when the client is gone or done. */
static bool client_flush(struct client *c)
{
	while (c->out_off < c->out.len) {
		ssize_t n = send(c->w.fd, c->out.buf + c->out_off, c->out.len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			(void)loop_mod(&c->w, EPOLLOUT);
			return true;
		}
		if (n < 0)
			return false;
		c->out_off += (size_t)n;
		c->deadline = now_ms() + CONTROL_WRITE_MS;
		if (c->out_off == c->out.len && streaming(c))
			client_refill(c);
	}
	if (!streaming(c) || !c->out.follow_forever)
		return false;
	/* Caught up: wait for more log data (or the client's hangup). */
	c->deadline = -1;
	(void)loop_mod(&c->w, EPOLLIN);
	return true;
}

static size_t followers(void)
{
	size_t n = 0;

	for (size_t i = 0; i < CONTROL_SLOTS; i++)
		n += clients[i].w.fd >= 0 && clients[i].follower;
	return n;
}

/* A logs -f request leaves the request slots for the follower ones. */
static void become_follower(struct client *c)
{
	if (!c->out.follow_forever || c->out.error)
		return;
	if (followers() >= CONTROL_FOLLOWERS)
		reply_error(&c->out, "too many logs -f followers (%d)", CONTROL_FOLLOWERS);
	else if (follow_begin(&c->follow, &c->out) < 0)
		reply_error(&c->out, "out of memory");
	else
		c->follower = true;
}

static void client_request(struct client *c)
{
	c->in[c->in_len - 1] = '\0';
	if (!c->root && strcmp(c->in, CONTROL_FOLLOW_ALL) != 0)
		reply_error(&c->out, "permission denied: root only");
	else
		ctl_request(c->in, &c->out);
	become_follower(c);
	c->deadline = now_ms() + CONTROL_WRITE_MS;
	if (!client_flush(c))
		client_drop(c);
}

static void on_client(struct loop_watch *w, uint32_t events)
{
	struct client *c = (struct client *)w;
	ssize_t n;

	if (c->w.fd < 0)
		return; /* dropped earlier in this epoll batch */
	if (c->out.buf || streaming(c)) {
		/* Reply phase: input is only a hangup (or junk we ignore). */
		char junk[64];
		if ((events & EPOLLIN) && recv(c->w.fd, junk, sizeof(junk), MSG_DONTWAIT) == 0)
			client_drop(c);
		else if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) && !client_flush(c))
			client_drop(c);
		return;
	}
	n = recv(c->w.fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_drop(c);
		return;
	}
	c->in_len += (size_t)n;
	if (memchr(c->in, '\0', c->in_len)) {
		reply_error(&c->out, "NUL byte in request");
	} else if (c->in[c->in_len - 1] == '\n' && !memchr(c->in, '\n', c->in_len - 1)) {
		client_request(c);
		return;
	} else if (memchr(c->in, '\n', c->in_len)) {
		reply_error(&c->out, "one request per connection");
	} else if (c->in_len < sizeof(c->in)) {
		return; /* wait for the rest of the line */
	} else {
		reply_error(&c->out, "request longer than %d bytes", CONTROL_REQUEST_MAX);
	}
	if (!client_flush(c))
		client_drop(c);
}

/* The log-writer service runs as its own unprivileged host uid: the owner
 * of its container's init process. Its uid range is its alone, so that uid
 * names it; it may then ask CONTROL_FOLLOW_ALL and nothing else. */
static bool peer_is_log_writer(uid_t uid)
{
	const struct service *s = supervisor_find(LOG_WRITER_SERVICE);
	char proc[32];
	struct stat st;

	if (!s || s->pid <= 0 || s->exited)
		return false;
	snprintf(proc, sizeof(proc), "/proc/%d", (int)s->pid);
	return stat(proc, &st) == 0 && st.st_uid == uid && uid != 0;
}

/* 1 root, 0 the log writer, -1 anyone else. */
static int peer_rights(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -1;
	if (cred.uid == 0)
		return 1;
	return peer_is_log_writer(cred.uid) ? 0 : -1;
}

static size_t requests(void)
{
	size_t n = 0;

	for (size_t i = 0; i < CONTROL_SLOTS; i++)
		n += clients[i].w.fd >= 0 && !clients[i].follower;
	return n;
}

/* EMFILE/ENFILE leave the connection in the backlog and the listener
 * readable: stop watching it for a moment rather than spin. */
static void accept_pause(void)
{
	static int64_t warned = -ACCEPT_WARN_MS;
	int64_t now = now_ms();

	if (now - warned >= ACCEPT_WARN_MS) {
		log_warn("control socket: accept: %m; pausing %d ms at a time", ACCEPT_PAUSE_MS);
		warned = now;
	}
	if (loop_mod(&listener, 0) == 0)
		accept_resume = now + ACCEPT_PAUSE_MS;
}

static void refuse(int fd, const char *msg)
{
	(void)send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT); /* best effort */
	close_drained(fd);
}

static void on_accept(struct loop_watch *w, uint32_t events)
{
	int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), rights;
	struct client *c = NULL;

	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
			accept_pause();
		return; /* EAGAIN, or the client gave up */
	}
	if ((rights = peer_rights(fd)) < 0) {
		refuse(fd, "ERR permission denied: root only\n");
		return;
	}
	for (size_t i = 0; i < CONTROL_SLOTS && !c && requests() < CONTROL_CLIENTS; i++)
		if (clients[i].w.fd < 0)
			c = &clients[i];
	if (!c) {
		refuse(fd, "ERR too many clients\n");
		return;
	}
	memset(c, 0, sizeof(*c));
	c->w = (struct loop_watch){.fd = fd, .on_ready = on_client, .data = c};
	c->root = rights > 0;
	c->deadline = now_ms() + CONTROL_REQUEST_MS;
	if (loop_add(&c->w, EPOLLIN) < 0) {
		close(fd);
		c->w.fd = -1;
	}
}

int control_start(void)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX, .sun_path = CONTROL_SOCK};
	int fd, r;

	for (size_t i = 0; i < CONTROL_SLOTS; i++)
		clients[i].w.fd = -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)unlink(CONTROL_SOCK); /* a stale socket from an earlier instance */
	/* 0666: the socket is reachable only through /run/keel (0700) and the
	 * bind mount into the log-writer service; SO_PEERCRED decides. */
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(CONTROL_SOCK, 0666) < 0 ||
	    listen(fd, 16) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	listener = (struct loop_watch){.fd = fd, .on_ready = on_accept};
	if ((r = loop_add(&listener, EPOLLIN)) < 0) {
		close(fd);
		listener.fd = -1;
	}
	return r;
}

void control_log_appended(struct service *s)
{
	for (size_t i = 0; i < CONTROL_SLOTS; i++) {
		struct client *c = &clients[i];

		if (c->w.fd >= 0 && c->follower && c->out_off == c->out.len &&
		    follow_wants(&c->follow, &c->out, s)) {
			client_refill(c);
			c->deadline = now_ms() + CONTROL_WRITE_MS;
			if (!client_flush(c))
				client_drop(c);
		}
	}
}

int64_t control_deadline(void)
{
	int64_t d = accept_resume;

	for (size_t i = 0; i < CONTROL_SLOTS; i++)
		if (clients[i].w.fd >= 0 && clients[i].deadline >= 0 &&
		    (d < 0 || clients[i].deadline < d))
			d = clients[i].deadline;
	return d;
}

void control_tick(int64_t now)
{
	if (accept_resume >= 0 && accept_resume <= now) {
		accept_resume = -1;
		if (loop_mod(&listener, EPOLLIN) < 0)
			accept_resume = now + ACCEPT_PAUSE_MS;
	}
	for (size_t i = 0; i < CONTROL_SLOTS; i++)
		if (clients[i].w.fd >= 0 && clients[i].deadline >= 0 && clients[i].deadline <= now)
			client_drop(&clients[i]); /* too slow to ask or to read */
}
