/* Unit tests for init/diskwork.c, PID 1's disk worker: records come back
 * whole and in order, a worker that hangs (blocked opening a FIFO nobody
 * writes, as a stalled disk blocks a read) is killed at its deadline while
 * the loop keeps serving other fds, and every worker pid is claimed when
 * reaped, a killed one too. */
#include "../../init/diskwork.h"
#include "../../init/loop.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int n_results, last_err[4], ended, ended_timed_out;
static char last_text[4][DW_TEXT_MAX];
static char fifo[64];

static void on_result(const struct dw_record *r)
{
	if (n_results < 4) {
		last_err[n_results] = r->err;
		memcpy(last_text[n_results], r->text, DW_TEXT_MAX);
	}
	n_results++;
}

static void on_end(bool timed_out)
{
	ended++;
	ended_timed_out = timed_out;
}

static void reset(void)
{
	n_results = ended = ended_timed_out = 0;
}

static void good_child(const void *arg)
{
	(void)arg;
	dw_send(DW_STEP, 0, 0, "step one");
	dw_send(DW_RESULT, 0, 0, "first %s", "ok");
	dw_send(DW_RESULT, 1, -EIO, "second failed");
}

/* Half a record, a pause, the rest: PID 1 puts it back together. */
static void split_child(const void *arg)
{
	struct dw_record r = {.kind = DW_RESULT, .index = 2, .err = -ENOENT};

	(void)arg;
	snprintf(r.text, sizeof(r.text), "split");
	if (write(3, &r, 100) != 100)
		_exit(1);
	usleep(50000);
	if (write(3, (char *)&r + 100, sizeof(r) - 100) != (ssize_t)(sizeof(r) - 100))
		_exit(1);
}

static void stalled_child(const void *arg)
{
	(void)arg;
	dw_send(DW_STEP, 0, 0, "opening %s", fifo);
	(void)open(fifo, O_RDONLY | O_CLOEXEC); /* no writer: blocks forever */
	dw_send(DW_RESULT, 0, 0, "not reached");
}

static const struct dw_job good_job = {"good", good_child, NULL, on_result, on_end};
static const struct dw_job split_job = {"split", split_child, NULL, on_result, on_end};
static const struct dw_job stalled_job = {"stalled", stalled_child, NULL, on_result, on_end};
static struct diskwork good, split, stalled;

static int64_t earliest(int64_t a, int64_t b)
{
	return a < 0 ? b : b < 0 || a < b ? a : b;
}

/* init's loop in small: epoll + the worker deadline + reaping. */
static void run_until(int64_t end, const int *flag)
{
	while (now_ms() < end && !*flag) {
		int64_t d = diskwork_deadline();
		int st;
		pid_t pid;

		loop_run_once(earliest(d, end));
		if (d >= 0 && now_ms() >= d)
			diskwork_tick(now_ms());
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			if (!diskwork_child_exited(pid, st))
				printf("# pid %d not claimed\n", (int)pid);
	}
}

static int served;
static void on_other(struct loop_watch *w, uint32_t ev)
{
	char c;

	(void)ev;
	if (read(w->fd, &c, 1) == 1)
		served++;
}

static void test_good(void)
{
	int64_t t0 = now_ms();

	reset();
	CHECK(diskwork_start(&good, &good_job, 5000) == 0, "a worker starts");
	run_until(t0 + 5000, &ended);
	CHECK(ended == 1 && !ended_timed_out && now_ms() - t0 < 2000,
	      "it ends at its pipe's EOF (%lld ms)", (long long)(now_ms() - t0));
	CHECK(n_results == 2 && last_err[0] == 0 && !strcmp(last_text[0], "first ok") &&
		  last_err[1] == -EIO && !strcmp(last_text[1], "second failed"),
	      "both results, in order, with err and text");
	reset();
	CHECK(diskwork_start(&split, &split_job, 5000) == 0,
	      "a worker writing a record in two pieces");
	run_until(now_ms() + 5000, &ended);
	CHECK(ended == 1 && n_results == 1 && last_err[0] == -ENOENT &&
		  !strcmp(last_text[0], "split"),
	      "the record is put back together");
}

static void test_stalled(void)
{
	int p[2];
	struct loop_watch other = {.on_ready = on_other};
	int64_t t0, took;
	int never = 0;

	snprintf(fifo, sizeof(fifo), "/tmp/keel-dw-%d", (int)getpid());
	(void)unlink(fifo);
	if (mkfifo(fifo, 0600) < 0 || pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0) {
		CHECK(0, "fifo and pipe: %s", strerror(errno));
		return;
	}
	other.fd = p[0];
	(void)loop_add(&other, EPOLLIN);
	reset();
	t0 = now_ms();
	CHECK(diskwork_start(&stalled, &stalled_job, 400) == 0,
	      "a worker that hangs on a FIFO starts");
	for (int i = 0; i < 3; i++) { /* the loop serves another fd meanwhile */
		if (write(p[1], "x", 1) != 1)
			break;
		run_until(now_ms() + 50, &never);
	}
	CHECK(served == 3 && !ended, "the loop answers other fds while the worker hangs");
	run_until(t0 + 5000, &ended);
	took = now_ms() - t0;
	CHECK(ended == 1 && ended_timed_out && n_results == 0, "it ends as timed out, no result");
	CHECK(took >= 400 && took < 1500, "at its 400 ms deadline (%lld ms)", (long long)took);
	run_until(now_ms() + 500, &never);
	CHECK(stalled.pid == 0, "the killed worker is reaped and claimed");
	CHECK(diskwork_deadline() < 0, "no deadline left");
	unlink(fifo);
}

int main(void)
{
	if (loop_init() < 0) {
		printf("not ok - loop_init\n");
		return 1;
	}
	test_good();
	test_stalled();
	return TAP_DONE();
}
