/* fork + exec with a clean child and exec errors reported over a CLOEXEC
 * pipe (the pipe closes on a successful exec, so EOF means "it runs"). */
#include "spawn.h"
#include "io.h"
#include "sigreset.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum spawn_step { STEP_SETSID, STEP_FDS, STEP_CTTY, STEP_SETUP, STEP_EXEC };

static const char *const step_names[] = {
    [STEP_SETSID] = "setsid", [STEP_FDS] = "set up fds", [STEP_CTTY] = "set controlling terminal",
    [STEP_SETUP] = "prepare", [STEP_EXEC] = "exec",
};

struct spawn_report {
	int step;
	int code;
};

/* Two passes: every source is first copied above the targets, so no dup2 of
 * the second pass can clobber a source still needed (keep[] may name fd 1).
 * dup2 leaves the targets without FD_CLOEXEC; the high copies close at exec. */
static int child_fds(const struct spawn_opts *o, int report_fd)
{
	int ntarget = 3 + (int)o->nkeep, high[3 + SPAWN_MAX_KEEP];

	if (o->nkeep > SPAWN_MAX_KEEP)
		return -EMFILE;
	for (int i = 0; i < ntarget; i++) {
		int src = i < 3 ? o->stdio[i] : o->keep[i - 3];
		int null = src >= 0 ? -1 : open("/dev/null", O_RDWR | O_CLOEXEC);

		if (src < 0 && null < 0)
			return -errno;
		high[i] = fcntl(src >= 0 ? src : null, F_DUPFD_CLOEXEC, ntarget);
		if (null >= 0)
			close(null);
		if (high[i] < 0)
			return -errno;
	}
	for (int i = 0; i < ntarget; i++)
		if (dup2(high[i], i) < 0)
			return -errno;
	/* Sweep everything but the report pipe, which closes itself at exec. */
	for (int fd = ntarget; fd < report_fd; fd++)
		(void)close(fd); /* EBADF for the gaps */
	return close_fds_from(report_fd + 1);
}

static int child_prepare(const struct spawn_opts *o, int report_fd, int *step)
{
	int r;

	(void)signals_reset_all(); /* in a child: nothing to report it to */
	*step = STEP_SETSID;
	if (o->new_session && setsid() < 0)
		return -errno;
	*step = STEP_FDS;
	if ((r = child_fds(o, report_fd)) < 0)
		return r;
	*step = STEP_CTTY;
	if (o->new_session && o->controlling_tty && ioctl(0, TIOCSCTTY, 0) < 0)
		return -errno;
	*step = STEP_SETUP;
	if (o->setup && (r = o->setup(o->setup_arg)) < 0)
		return r;
	*step = STEP_EXEC;
	return 0;
}

static __attribute__((noreturn)) void child_run(const struct spawn_opts *o, int pipe_fd)
{
	struct spawn_report rep = {STEP_FDS, 0};
	/* Above every target fd, so the renumbering cannot clobber it. */
	int report_fd = fcntl(pipe_fd, F_DUPFD_CLOEXEC, 3 + (int)o->nkeep);
	int r = report_fd < 0 ? -errno : child_prepare(o, report_fd, &rep.step);

	if (report_fd < 0)
		report_fd = pipe_fd; /* best effort: report through the original */
	if (r == 0) {
		execve(o->path, o->argv, o->envp ? o->envp : environ);
		r = -errno;
	}
	rep.code = -r;
	(void)write_all(report_fd, &rep, sizeof(rep)); /* the parent sees EOF otherwise */
	_exit(127);
}

pid_t spawn(const struct spawn_opts *o, struct kerr *err)
{
	struct spawn_report rep;
	int p[2];
	pid_t pid;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0)
		return kerr_set(err, errno, "unable to create a pipe for %s", o->path);
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		return kerr_set(err, e, "unable to fork for %s", o->path);
	}
	if (pid == 0) {
		close(p[0]);
		child_run(o, p[1]);
	}
	close(p[1]);
	n = read_all(p[0], &rep, sizeof(rep));
	close(p[0]);
	if (n != (ssize_t)sizeof(rep))
		return pid;	     /* EOF: exec succeeded and closed the pipe */
	(void)waitpid(pid, NULL, 0); /* reap it here: the caller never knew the pid */
	return kerr_set(err, rep.code, "unable to %s %s", step_names[rep.step], o->path);
}
