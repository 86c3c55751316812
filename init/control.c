/* The control socket server. Clients live in a fixed table (no allocation
 * per connection beyond the reply, so the loop's pointers stay valid even
 * for a client dropped in the same epoll batch). Every client has a
 * deadline: CONTROL_REQUEST_MS to send its line, CONTROL_WRITE_MS to take
 * pending output; a follower with nothing pending waits without one. */
#include "control.h"
#include "io.h"
#include "log.h"
#include "service.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define CONTROL_CLIENTS	   16
#define CONTROL_REQUEST_MS 2000
#define CONTROL_WRITE_MS   5000
#define REPLY_MAX	   (256 * 1024)
#define FOLLOW_CHUNK	   16384

struct client {
	struct loop_watch w; /* w.fd < 0: slot free */
	char in[CONTROL_REQUEST_MAX];
	size_t in_len;
	struct ctl_reply out;
	size_t out_off;
	int64_t deadline;
};

static struct client clients[CONTROL_CLIENTS];
static struct loop_watch listener = {.fd = -1};

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
}

/* Moves new log bytes of the followed service into the reply buffer. */
static void follow_fill(struct client *c)
{
	char chunk[FOLLOW_CHUNK];
	uint64_t dropped;
	size_t n =
	    logbuf_read(&c->out.follow->log, &c->out.follow_pos, chunk, sizeof(chunk), &dropped);

	c->out.len = c->out_off = 0;
	if (dropped)
		reply_printf(&c->out, "[keel] %llu bytes dropped (reader too slow)\n",
			     (unsigned long long)dropped);
	reply_printf(&c->out, "%.*s", (int)n, chunk);
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
		if (c->out_off == c->out.len && c->out.follow)
			follow_fill(c);
	}
	if (!c->out.follow || !c->out.follow_forever)
		return false;
	/* Caught up: wait for more log data (or the client's hangup). */
	c->deadline = -1;
	(void)loop_mod(&c->w, EPOLLIN);
	return true;
}

static void client_request(struct client *c)
{
	c->in[c->in_len - 1] = '\0';
	ctl_request(c->in, &c->out);
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
	if (c->out.buf || c->out.follow) {
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

static bool peer_is_root(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.uid == 0;
}

static void refuse(int fd, const char *msg)
{
	(void)send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT); /* best effort */
	close_drained(fd);
}

static void on_accept(struct loop_watch *w, uint32_t events)
{
	int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct client *c = NULL;

	if (fd < 0)
		return; /* EAGAIN, or the client gave up; EMFILE: retried on the next event */
	if (!peer_is_root(fd)) {
		refuse(fd, "ERR permission denied: root only\n");
		return;
	}
	for (size_t i = 0; i < CONTROL_CLIENTS && !c; i++)
		if (clients[i].w.fd < 0)
			c = &clients[i];
	if (!c) {
		refuse(fd, "ERR too many clients\n");
		return;
	}
	memset(c, 0, sizeof(*c));
	c->w = (struct loop_watch){.fd = fd, .on_ready = on_client, .data = c};
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

	for (size_t i = 0; i < CONTROL_CLIENTS; i++)
		clients[i].w.fd = -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)unlink(CONTROL_SOCK); /* a stale socket from an earlier instance */
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(CONTROL_SOCK, 0600) < 0 ||
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
	for (size_t i = 0; i < CONTROL_CLIENTS; i++) {
		struct client *c = &clients[i];

		if (c->w.fd >= 0 && c->out.follow == s && c->out_off == c->out.len) {
			follow_fill(c);
			c->deadline = now_ms() + CONTROL_WRITE_MS;
			if (!client_flush(c))
				client_drop(c);
		}
	}
}

int64_t control_deadline(void)
{
	int64_t d = -1;

	for (size_t i = 0; i < CONTROL_CLIENTS; i++)
		if (clients[i].w.fd >= 0 && clients[i].deadline >= 0 &&
		    (d < 0 || clients[i].deadline < d))
			d = clients[i].deadline;
	return d;
}

void control_tick(int64_t now)
{
	for (size_t i = 0; i < CONTROL_CLIENTS; i++)
		if (clients[i].w.fd >= 0 && clients[i].deadline >= 0 && clients[i].deadline <= now)
			client_drop(&clients[i]); /* too slow to ask or to read */
}
