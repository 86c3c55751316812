/* The supervisor's hands: runc-shim create/start/delete as child processes
 * (their exits come back through the reaper), the container init's pid from
 * the pid file (held as a pidfd so a signal never hits a reused pid), its
 * cgroup v2 path, stop signals and cgroup.kill. An exit the reaper sees
 * before the pid file was read (the init can die that fast) is kept by the
 * one service whose pid file names it, never in a table of pids. */
#include "config.h"
#include "io.h"
#include "log.h"
#include "parse.h"
#include "service.h"
#include "svc_run.h"
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUN_DIR "/run/keel"

#ifndef P_PIDFD
#define P_PIDFD 3 /* linux/wait.h; not in musl's headers */
#endif

static void pid_file(const struct service *s, char *buf, size_t size)
{
	snprintf(buf, size, RUN_DIR "/%s.pid", s->name);
}

/* Runs "runtime --root SVC_RUNC_ROOT VERB ARGS... NAME" with output into the log
 * pipe and keep[] as fds 3, 4, ... */
static int run_helper(struct service *s, enum svc_helper h, char **args, const int *keep,
		      size_t nkeep)
{
	const char *runtime = svc_config()->runtime;
	char *argv[16] = {(char *)runtime, (char *)"--root", (char *)SVC_RUNC_ROOT};
	size_t n = 3;
	struct spawn_opts o = {.path = runtime, .argv = argv, .keep = keep, .nkeep = nkeep};
	struct kerr err = {0};
	char msg[600];
	pid_t pid;

	while (*args && n < 14)
		argv[n++] = *args++;
	argv[n++] = s->name;
	argv[n] = NULL;
	o.stdio[0] = -1;
	o.stdio[1] = o.stdio[2] = s->log_wr;
	pid = spawn(&o, &err);
	if (pid < 0) {
		log_err("%s: %s %s: %s", s->name, runtime, argv[3],
			kerr_str(&err, msg, sizeof(msg)));
		svc_log_note(s, "%s %s: %s", runtime, argv[3], msg);
		return (int)pid;
	}
	s->helper = h;
	s->helper_pid = pid;
	return 0;
}

int svc_run_create(struct service *s)
{
	char pidf[PATH_MAX], nfds[16];
	char *args[] = {(char *)"create",
			(char *)"--bundle",
			s->dir,
			(char *)"--pid-file",
			pidf,
			(char *)"--preserve-fds",
			nfds,
			NULL};
	int keep[64], notify_w = -1, r;
	size_t nkeep = 0;

	pid_file(s, pidf, sizeof(pidf));
	if (unlink(pidf) < 0 && errno != ENOENT)
		log_warn("%s: unable to remove stale %s: %s", s->name, pidf, strerror(errno));
	if (s->conf.notify_fd >= 0) {
		if ((r = svc_notify_open(s, &notify_w)) < 0)
			return r;
		/* fds 3..N-1 are /dev/null (-1), fd N the notify pipe. */
		for (int fd = 3; fd < s->conf.notify_fd; fd++)
			keep[nkeep++] = -1;
		keep[nkeep++] = notify_w;
	}
	snprintf(nfds, sizeof(nfds), "%zu", nkeep);
	if (!nkeep)
		args[5] = NULL;
	r = run_helper(s, HELPER_CREATE, args, keep, nkeep);
	if (notify_w >= 0)
		close(notify_w); /* only the container holds the write end now */
	if (r < 0)
		svc_notify_close(s);
	return r;
}

int svc_run_start(struct service *s)
{
	char *args[] = {(char *)"start", NULL};

	return run_helper(s, HELPER_START, args, NULL, 0);
}

int svc_run_delete(struct service *s)
{
	char *args[] = {(char *)"delete", (char *)"--force", NULL};

	return run_helper(s, HELPER_DELETE, args, NULL, 0);
}

/* The instance's own cgroup v2 path, unless it is init's (no per-service
 * cgroup, e.g. on a v1 host): killing that would kill init's other children. */
static void read_cgroup(struct service *s)
{
	char path[64], buf[1024], mine[1024], kill_path[PATH_MAX];
	const char *line, *self;

	s->cgroup[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)s->pid);
	if (read_file(path, buf, sizeof(buf)) < 0 ||
	    read_file("/proc/self/cgroup", mine, sizeof(mine)) < 0)
		return;
	line = strstr(buf, "0::/");
	self = strstr(mine, "0::/");
	if (!line || (line != buf && line[-1] != '\n'))
		return;
	line += 3;
	if (self && !strncmp(self + 3, line, strcspn(line, "\n") + 1))
		return;
	snprintf(s->cgroup, sizeof(s->cgroup), "%.*s", (int)strcspn(line, "\n"), line);
	snprintf(kill_path, sizeof(kill_path), "/sys/fs/cgroup%s/cgroup.kill", s->cgroup);
	if (!strcmp(s->cgroup, "/") || access(kill_path, W_OK) < 0) {
		log_debug("%s: no cgroup v2 kill file for %s: stopping by pid only", s->name,
			  s->cgroup);
		s->cgroup[0] = '\0';
	}
}

/* The pid in the instance's pid file, or -1. */
static pid_t pid_file_read(const struct service *s)
{
	char pidf[PATH_MAX], buf[32];
	long pid;
	ssize_t n;

	pid_file(s, pidf, sizeof(pidf));
	n = read_file(pidf, buf, sizeof(buf));
	buf[n > 0 ? strcspn(buf, "\n") : 0] = '\0';
	if (n < 0 || parse_long(buf, 2, 1 << 22, &pid) < 0)
		return -1;
	return (pid_t)pid;
}

/* runc-shim create writes the pid file before it exits, and the container
 * init becomes PID 1's child only when create exits: so when the reaper
 * gets an unknown pid while create runs, the pid file already names it if
 * it is this service's instance. */
bool svc_claim_early_exit(struct service *s, pid_t pid, int wstatus)
{
	if (s->state != ST_CREATING || s->pid != 0 || pid_file_read(s) != pid)
		return false;
	s->early_pid = pid;
	s->early_status = wstatus;
	return true;
}

/* The pidfd must be of PID 1's own child: a pid that was reused by some
 * other process is not our instance (waitid says ECHILD). */
static bool pidfd_is_our_child(int pidfd)
{
	siginfo_t si;

	if (!svc_config()->pid1)
		return true; /* not PID 1: the instance is not our child anyway */
	return waitid((idtype_t)P_PIDFD, (id_t)pidfd, &si, WEXITED | WNOHANG | WNOWAIT) == 0;
}

int svc_read_pid(struct service *s)
{
	pid_t pid = pid_file_read(s);

	if (pid < 0) {
		log_err("%s: no valid pid in " RUN_DIR "/%s.pid", s->name, s->name);
		svc_log_note(s, "no valid pid in " RUN_DIR "/%s.pid", s->name);
		return -EINVAL;
	}
	s->pid = pid;
	if (s->early_pid == pid) { /* reaped before we got here */
		s->exited = true;
		s->last_status = s->early_status;
		svc_log_note(s, "exited (wait status 0x%x) before its pid was read",
			     (unsigned)s->early_status);
		return 0;
	}
	s->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
	if (s->pidfd < 0 || !pidfd_is_our_child(s->pidfd)) {
		log_warn("%s: instance %d gone before its pid was read", s->name, (int)pid);
		svc_log_note(s, "instance %d gone before its pid was read", (int)pid);
		if (s->pidfd >= 0)
			close(s->pidfd);
		s->pidfd = -1;
		s->exited = true; /* its status is unknown: counts as a failure */
		s->last_status = -1;
		return 0;
	}
	read_cgroup(s);
	return 0;
}

void svc_signal(struct service *s, int sig)
{
	int r;

	if (s->exited || s->pid <= 0)
		return;
	if (s->pidfd >= 0)
		r = (int)syscall(SYS_pidfd_send_signal, s->pidfd, sig, NULL, 0);
	else
		r = kill(s->pid, sig);
	if (r < 0 && errno != ESRCH)
		log_warn("%s: unable to send SIG%s to %d: %s", s->name,
			 signal_name(sig) ? signal_name(sig) : "?", (int)s->pid, strerror(errno));
}

void svc_kill_instance(struct service *s)
{
	char path[PATH_MAX];
	int r;

	if (s->cgroup[0]) {
		snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cgroup.kill", s->cgroup);
		if ((r = write_file(path, "1")) == 0 || r == -ENOENT)
			return; /* ENOENT: the cgroup is already gone */
		log_warn("%s: unable to write %s: %s", s->name, path, strerror(-r));
	} else {
		log_debug("%s: no cgroup v2: killing pid %d only", s->name, (int)s->pid);
	}
	svc_signal(s, SIGKILL);
}

/* Called once at start: the runtime's state dir and pid files. 0711: not
 * listable, but the log-writer service's runc-shim (in its user namespace)
 * must reach control.sock to bind-mount it; SO_PEERCRED guards the socket. */
int svc_run_prepare(void)
{
	if (mkdir(RUN_DIR, 0711) < 0 && errno != EEXIST)
		return -errno;
	return chmod(RUN_DIR, 0711) < 0 ? -errno : 0;
}
