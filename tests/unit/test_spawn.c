/* Unit tests for init/spawn.c: fd renumbering (including a kept fd that is
 * also a target slot), the fd sweep, a clean signal mask, and exec/setup
 * errors reported synchronously with the failing step. */
#include "../../init/power.h"
#include "../../init/reap.h"
#include "../../init/signals.h"
#include "../../init/spawn.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* signals.c dispatches to these; no signal is dispatched in this test. */
void reap_children(void)
{
}
void power_request(enum power_action action)
{
	(void)action;
}

static char sh[] = "/bin/sh", dash_c[] = "-c";

/* Runs sh -c script with opts; returns its exit status or -1. */
static int run(struct spawn_opts *o, char *script)
{
	char *argv[] = {sh, dash_c, script, NULL};
	struct kerr err;
	int st;
	pid_t pid;

	o->path = sh;
	o->argv = argv;
	pid = spawn(o, &err);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_fds(void)
{
	/* fd 20 without CLOEXEC: only the sweep can close it */
	int p[2], leak = fcntl(0, F_DUPFD, 20);
	char buf[16] = "", script[200];
	struct spawn_opts o = {.stdio = {-1, -1, -1}};
	int keep[2];

	CHECK(pipe2(p, O_CLOEXEC) == 0 && leak >= 0, "setup: pipe and a leaky fd");
	/* kept fd 3 is the pipe, kept fd 4 is whatever fd 1 was: both must
	 * survive although fd 1 is a target slot rewritten first. */
	keep[0] = p[1];
	keep[1] = 1;
	o.stdio[1] = p[1];
	o.keep = keep;
	o.nkeep = 2;
	snprintf(
	    script, sizeof(script),
	    "printf a >&3; [ -e /proc/self/fd/4 ] || exit 2; [ -e /proc/self/fd/%d ] && exit 3; "
	    "[ -e /proc/self/fd/5 ] && exit 4; read x || exit 0",
	    leak);
	CHECK(run(&o, script) == 0, "stdin /dev/null, fds 3 and 4 kept, every other fd closed");
	close(p[1]);
	CHECK(read(p[0], buf, sizeof(buf) - 1) == 1 && strcmp(buf, "a") == 0,
	      "kept fd 3 is the pipe given");
	close(p[0]);
	close(leak);
}

static void test_signals(void)
{
	struct spawn_opts o = {.stdio = {-1, -1, 2}};
	sigset_t all;
	char script[] = "grep -q '^SigBlk:[[:space:]]*0*$' /proc/self/status && "
			"grep -q '^SigIgn:[[:space:]]*0*$' /proc/self/status";

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	signal(SIGPIPE, SIG_IGN);
	CHECK(run(&o, script) == 0, "child gets an empty mask and no ignored signals");
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
}

static int fail_setup(void *arg)
{
	(void)arg;
	return -EPERM;
}

static void test_errors(void)
{
	char nope[] = "/nonexistent/prog";
	char *argv[] = {nope, NULL};
	struct spawn_opts o = {.path = nope, .argv = argv, .stdio = {-1, -1, -1}};
	struct kerr err = {0, ""};
	pid_t pid = spawn(&o, &err);

	CHECK(pid == -ENOENT && err.code == ENOENT && strstr(err.msg, "exec /nonexistent/prog"),
	      "missing program: -ENOENT from spawn, message names exec and path (%s)", err.msg);
	CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD,
	      "the failed child is already reaped by spawn");
	o.path = sh;
	o.setup = fail_setup;
	pid = spawn(&o, &err);
	CHECK(pid == -EPERM && strstr(err.msg, "unable to prepare"), "setup error reported (%s)",
	      err.msg);
	o.setup = NULL;
	o.new_session = o.controlling_tty = true; /* stdin is /dev/null: not a tty */
	pid = spawn(&o, &err);
	CHECK(pid == -ENOTTY && strstr(err.msg, "controlling terminal"),
	      "TIOCSCTTY on a non-tty reported (%s)", err.msg);
}

int main(void)
{
	test_fds();
	test_signals();
	test_errors();
	return TAP_DONE();
}
