/* See diskwork.h. The child is a plain fork of PID 1 (no exec): it keeps
 * only stdio and its pipe, reports records, and _exits. PID 1 keeps a
 * pointer to every worker it started so a child killed at its deadline is
 * still recognised when it is finally reaped. */
#include "diskwork.h"
#include "io.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#define DW_KNOWN_MAX 8 /* workers per boot: probe, images, mount, dirs */
#define DW_CHILD_FD  3

static struct diskwork *known[DW_KNOWN_MAX];
static int child_fd = -1; /* in the child: the pipe's write end */

void dw_send(enum dw_kind kind, unsigned index, int err, const char *fmt, ...)
{
	struct dw_record r;
	va_list ap;

	memset(&r, 0, sizeof(r));
	r.kind = (uint8_t)kind;
	r.index = (uint8_t)index;
	r.err = err;
	va_start(ap, fmt);
	vsnprintf(r.text, sizeof(r.text), fmt, ap);
	va_end(ap);
	/* Blocking is fine here: this is the child. PID 1 gone away: EPIPE. */
	(void)write_all(child_fd, &r, sizeof(r));
}

static __attribute__((noreturn)) void child_main(struct diskwork *w, int wr)
{
	/* Only stdio and the pipe: nothing of PID 1's (control socket, service
	 * pipes) may stay open in a child that could hang for minutes. */
	if (wr != DW_CHILD_FD && dup2(wr, DW_CHILD_FD) < 0)
		_exit(127);
	(void)close_fds_from(DW_CHILD_FD + 1);
	child_fd = DW_CHILD_FD;
	w->job->child(w->job->arg);
	_exit(0);
}

static void remember(struct diskwork *w)
{
	for (size_t i = 0; i < DW_KNOWN_MAX; i++)
		if (known[i] == w || !known[i]) {
			known[i] = w;
			return;
		}
	log_debug("disk worker table full: %s is reaped as an orphan", w->job->what);
}

static void finish(struct diskwork *w, bool timed_out)
{
	loop_del(&w->watch);
	close(w->watch.fd);
	w->watch.fd = -1;
	w->running = false;
	w->deadline = -1;
	w->job->on_end(timed_out);
}

/* r->text is terminated by the caller: the child's bytes are not trusted
 * more than they need to be. */
static void take_record(struct diskwork *w, const struct dw_record *r)
{
	static const enum log_level levels[] = {
	    [DW_INFO] = LOG_INFO, [DW_WARN] = LOG_WARN, [DW_ERR] = LOG_ERR};

	switch ((enum dw_kind)r->kind) {
	case DW_STEP:
		memcpy(w->step, r->text, sizeof(w->step));
		return;
	case DW_INFO:
	case DW_WARN:
	case DW_ERR:
		log_msg(levels[r->kind], "%s", r->text);
		return;
	case DW_RESULT:
		w->job->on_result(r);
		return;
	}
	log_warn("%s: unknown record kind %u from the worker", w->job->what, r->kind);
}

/* Reads every whole record that is there; true at EOF (the child is done). */
static bool drain(struct diskwork *w)
{
	for (;;) {
		ssize_t n = read(w->watch.fd, w->in.bytes + w->in_len, sizeof(w->in) - w->in_len);

		if (n == 0)
			return true;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno != EAGAIN; /* another error: as good as EOF */
		w->in_len += (size_t)n;
		if (w->in_len == sizeof(w->in)) {
			w->in_len = 0;
			w->in.rec.text[DW_TEXT_MAX - 1] = '\0';
			take_record(w, &w->in.rec);
		}
	}
}

static void on_pipe(struct loop_watch *watch, uint32_t events)
{
	struct diskwork *w = watch->data;

	(void)events;
	if (drain(w))
		finish(w, false);
}

int diskwork_start(struct diskwork *w, const struct dw_job *job, int64_t timeout_ms)
{
	int p[2];

	w->job = job;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	w->pid = fork();
	if (w->pid == 0) {
		close(p[0]);
		child_main(w, p[1]);
	}
	close(p[1]);
	if (w->pid < 0 || fcntl(p[0], F_SETFL, O_NONBLOCK) < 0) {
		int r = -errno;
		close(p[0]);
		return r; /* a forked child then only finds EPIPE and exits */
	}
	w->watch = (struct loop_watch){.fd = p[0], .on_ready = on_pipe, .data = w};
	w->in_len = 0;
	w->step[0] = '\0';
	w->killed = false;
	w->timeout_ms = timeout_ms;
	w->deadline = now_ms() + timeout_ms;
	w->running = true;
	remember(w);
	if (loop_add(&w->watch, EPOLLIN) < 0)
		log_warn("%s: cannot watch the worker's pipe: %m; read at its deadline",
			 w->job->what);
	return 0;
}

int64_t diskwork_deadline(void)
{
	int64_t d = -1;

	for (size_t i = 0; i < DW_KNOWN_MAX && known[i]; i++)
		if (known[i]->running && (d < 0 || known[i]->deadline < d))
			d = known[i]->deadline;
	return d;
}

void diskwork_tick(int64_t now)
{
	for (size_t i = 0; i < DW_KNOWN_MAX && known[i]; i++) {
		struct diskwork *w = known[i];

		if (!w->running || w->deadline > now)
			continue;
		if (drain(w)) { /* it ended just now: not a time-out */
			finish(w, false);
			continue;
		}
		/* SIGKILL ends it unless it sleeps uninterruptibly in the
		 * kernel; then it stays until the I/O returns (reaped then). */
		if (kill(w->pid, SIGKILL) < 0)
			log_warn("%s: unable to kill worker %d: %m", w->job->what, (int)w->pid);
		w->killed = true;
		log_err("%s: still busy after %lld ms%s%s: worker %d killed; boot goes on",
			w->job->what, (long long)w->timeout_ms, w->step[0] ? " in " : "", w->step,
			(int)w->pid);
		finish(w, true);
	}
}

bool diskwork_child_exited(pid_t pid, int wstatus)
{
	(void)wstatus;
	for (size_t i = 0; i < DW_KNOWN_MAX && known[i]; i++) {
		struct diskwork *w = known[i];

		if (w->pid != pid)
			continue;
		if (w->killed)
			log_info("%s: worker %d, killed at its deadline, is gone now", w->job->what,
				 (int)pid);
		w->pid = 0;
		return true;
	}
	return false;
}
