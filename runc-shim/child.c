/* The container init, from clone() to execve(). container_init() is the
 * one place where the privilege steps happen, in the order the kernel
 * requires; each line says why it is where it is. Every privilege is
 * dropped before SYNC_READY, and any failure up to there goes back to
 * `create` over the sync socket; after it only execve is left, whose
 * failure goes to `start` through exec.fifo. */
#include "capabilities.h"
#include "container.h"
#include "hooks.h"
#include "io.h"
#include "mount_at.h"
#include "mounts.h"
#include "pivot.h"
#include "process.h"
#include "seccomp.h"
#include "sigreset.h"
#include "sync.h"
#include "sysctl.h"
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Blocks until `start` opens exec.fifo for reading, then tells it we
 * passed. Reopened through /proc/self/fd: the state dir is not reachable
 * by path from inside the rootfs. Returns the write end, kept open
 * (close-on-exec): `start` reads EOF at a successful execve, or the error
 * we write before it when execve fails. */
static int fifo_wait(int fifo_fd, struct kerr *err)
{
	char p[32];
	int fd = open(fd_path(p, fifo_fd), O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return kerr_set(err, errno, "unable to open exec.fifo");
	if (write_all(fd, "0", 1) < 0) {
		close(fd);
		return kerr_set(err, errno, "unable to write exec.fifo");
	}
	close(fifo_fd);
	return fd;
}

/* Mark everything above stdio + --preserve-fds close-on-exec: our own fds
 * (sync socket, fifo) are needed until execve, the rest must not leak. */
static int seal_fds(int preserve, struct kerr *err)
{
	if (syscall(SYS_close_range, 3 + preserve, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */) < 0)
		return kerr_set(err, errno, "close_range");
	return 0;
}

/* Close every inherited fd except stdio, --preserve-fds and our own, first
 * thing: a leaked host directory fd would let process.cwd or a later
 * openat() reach the host (CVE-2024-21626). */
int container_close_inherited(const struct launch *l, struct kerr *err)
{
	int keep[3] = {l->sync_fds[1], l->fifo_fd, l->console_fd};
	unsigned lo = 3 + (unsigned)l->opts->preserve_fds;

	for (int i = 0; i < 3; i++) /* sort the three */
		for (int j = i + 1; j < 3; j++)
			if (keep[j] < keep[i]) {
				int t = keep[i];
				keep[i] = keep[j];
				keep[j] = t;
			}
	for (int i = 0; i < 3; i++) {
		if (keep[i] < (int)lo)
			continue;
		if ((unsigned)keep[i] > lo && syscall(SYS_close_range, lo, keep[i] - 1, 0) < 0)
			return kerr_set(err, errno, "close_range");
		lo = (unsigned)keep[i] + 1;
	}
	if (syscall(SYS_close_range, lo, ~0U, 0) < 0)
		return kerr_set(err, errno, "close_range");
	return 0;
}

/* The caller may block or ignore signals (keel's init blocks all of them
 * for its signalfd): the container starts with a clean slate. */
int container_reset_signals(struct kerr *err)
{
	int r = signals_reset_all();

	return r < 0 ? kerr_set(err, -r, "sigprocmask") : 0;
}

static int become_ns_root(const struct launch *l, struct kerr *err)
{
	if (!l->userns)
		return 0;
	/* Files we create (device nodes, mount points) belong to container
	 * root; ignore failure when 0 is not mapped (the caps still apply). */
	(void)setresgid(0, 0, 0);
	(void)setresuid(0, 0, 0);
	return 0;
}

static int setup_root(struct launch *l, char exe[PATH_MAX], struct kerr *err)
{
	const struct config *c = l->cfg;
	int r;

	if (config_ns(c, CLONE_NEWCGROUP) && !config_ns(c, CLONE_NEWCGROUP)->path &&
	    unshare(CLONE_NEWCGROUP) < 0) /* now, so its root is our own cgroup */
		return kerr_set(err, errno, "unable to create the cgroup namespace");
	if ((r = become_ns_root(l, err)) < 0)
		return r;
	if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0)
		return kerr_set(err, errno, "hostname: sethostname");
	if ((r = mounts_setup(l, err)) < 0 || (r = hooks_container_created(l, err)) < 0 ||
	    (r = pivot_into(l->rootfs, l->opts->no_pivot, err)) < 0)
		return r;
	/* Before the first write through /proc (masks go via /proc/self/fd),
	 * and sysctls before mounts_finish makes /proc/sys read-only. */
	if ((r = pivot_check_proc(err)) < 0)
		return r;
	if ((r = sysctl_apply(c, err)) < 0 || (r = mounts_finish(l, err)) < 0)
		return r;
	if ((r = process_find_exec(&c->proc, exe, err)) < 0)
		return r;
	if (c->proc.terminal && (r = terminal_setup(l->console_fd, true, err)) < 0)
		return r;
	if (!c->proc.terminal && setsid() < 0) /* own session: no signals from ours */
		return kerr_set(err, errno, "setsid");
	/* rlimits and oom_score_adj may need CAP_SYS_RESOURCE: before the drop. */
	if ((r = process_set_rlimits(&c->proc, err)) < 0)
		return r;
	return process_set_oom_score(&c->proc, err);
}

/* Before the fifo: identity, capabilities, no_new_privs, seccomp. */
int container_drop_privileges(const struct launch *l, struct kerr *err)
{
	const struct cfg_process *p = &l->cfg->proc;
	struct stat cwd;
	int r;

	/* First: a default-deny seccomp profile need not allow close_range,
	 * nor getcwd. */
	if ((r = seal_fds(l->opts->preserve_fds, err)) < 0 ||
	    (r = process_check_cwd(p, &cwd, err)) < 0)
		return r;
	/* Without no_new_privs, installing a filter needs CAP_SYS_ADMIN: load
	 * it while we still hold it (and before the uid change). */
	if (!p->no_new_privs && (r = seccomp_apply(&l->seccomp, err)) < 0)
		return r;
	/* Dropping from the bounding set needs CAP_SETPCAP: still root. */
	if ((r = caps_drop_bounding(p, err)) < 0)
		return r;
	if ((r = process_set_user(p, l->setgroups_denied, err)) < 0)
		return r;
	/* After the uid change (which cleared the effective set). */
	if ((r = caps_apply(p, err)) < 0 || (r = process_set_cwd(p, &cwd, err)) < 0)
		return r;
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return kerr_set(err, errno, "process.noNewPrivileges: prctl");
	/* Last: the filter may forbid anything we did above. */
	return p->no_new_privs ? seccomp_apply(&l->seccomp, err) : 0;
}

/* After the fifo a failure goes to `start` through it (and to stderr). */
static void report_after_fifo(int fifo_w, const struct kerr *err) __attribute__((noreturn));
static void report_after_fifo(int fifo_w, const struct kerr *err)
{
	char line[sizeof(err->msg) + 64];

	kerr_str(err, line, sizeof(line));
	(void)write_all(fifo_w, line, strlen(line));
	dprintf(2, "runc-shim: %s\n", line);
	_exit(127);
}

/* After the fifo: only execve. */
static void exec_or_report(const struct launch *l, const char *exe, int fifo_w)
	__attribute__((noreturn));
static void exec_or_report(const struct launch *l, const char *exe, int fifo_w)
{
	struct kerr err = {0};

	execve(exe, (char *const *)l->cfg->proc.args,
	       l->cfg->proc.env ? (char *const *)l->cfg->proc.env : (char *const[]){NULL});
	kerr_set(&err, errno, "exec %s", exe);
	report_after_fifo(fifo_w, &err);
}

void container_init(void *arg)
{
	struct launch *l = arg; /* our own copy after clone() */
	struct kerr err = {0};
	char exe[PATH_MAX];
	int32_t denied = 0;
	int fifo_w;

	close(l->sync_fds[0]);
	/* Die with `create` while it still drives us. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		kerr_set(&err, errno, "prctl(PR_SET_PDEATHSIG)");
		sync_fail(l->sync_fds[1], &err);
	}
	if (container_close_inherited(l, &err) < 0 || container_reset_signals(&err) < 0 ||
	    sync_expect(l->sync_fds[1], SYNC_GO, &denied, &err) < 0)
		sync_fail(l->sync_fds[1], &err);
	l->setgroups_denied = denied; /* decided by the parent's idmap_write() */
	/* Maps are written: from now on nothing of the host's may ptrace us or
	 * read our memory while we hold root (execve makes the process
	 * dumpable again as the kernel sees fit). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		kerr_set(&err, errno, "prctl(PR_SET_DUMPABLE)");
		sync_fail(l->sync_fds[1], &err);
	}
	if (setup_root(l, exe, &err) < 0)
		sync_fail(l->sync_fds[1], &err);
	/* We outlive `create`; its death is seen as EOF on the sync socket
	 * from here (a uid change clears the death signal anyway). */
	if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0) {
		kerr_set(&err, errno, "prctl(PR_SET_PDEATHSIG)");
		sync_fail(l->sync_fds[1], &err);
	}
	/* Everything but execve before we wait on the fifo: the init that
	 * waits holds only the container's ids, capabilities and filter, and
	 * every failure so far fails `create`. */
	if (container_drop_privileges(l, &err) < 0)
		sync_fail(l->sync_fds[1], &err);
	if (sync_send(l->sync_fds[1], SYNC_READY, 0, NULL) < 0 ||
	    sync_expect(l->sync_fds[1], SYNC_RECORDED, NULL, &err) < 0)
		_exit(1); /* `create` died or gave up: it cleans up */
	close(l->sync_fds[1]);
	if ((fifo_w = fifo_wait(l->fifo_fd, &err)) < 0) {
		char line[sizeof(err.msg) + 64];
		dprintf(2, "runc-shim: %s\n", kerr_str(&err, line, sizeof(line)));
		_exit(127);
	}
	/* startContainer hooks run as the container's init will exec: every
	 * privilege already dropped; a failure fails `start` like execve's. */
	if (hooks_container_starting(l, &err) < 0)
		report_after_fifo(fifo_w, &err);
	exec_or_report(l, exe, fifo_w);
}
