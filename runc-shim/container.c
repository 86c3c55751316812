/* `create` on the parent's side: load and check the config, make the state
 * dir, cgroup and compiled seccomp filter, clone the container init, write
 * its id maps, move it into its cgroup, wait until it is ready, record the
 * state. Whatever fails, nothing is left behind: the init is killed, the
 * cgroup and the state dir are removed. */
#include "cgroups.h"
#include "cloned_binary.h"
#include "container.h"
#include "hooks.h"
#include "idmap.h"
#include "io.h"
#include "kill_wait.h"
#include "namespaces.h"
#include "seccomp.h"
#include "state.h"
#include "summary.h"
#include "sync.h"
#include "sysctl.h"
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int resolve_paths(struct launch *l, const char *bundle, struct kerr *err)
{
	char joined[PATH_MAX * 2];
	struct stat st;

	if (!realpath(bundle, l->bundle))
		return kerr_set(err, errno, "--bundle %s", bundle);
	snprintf(joined, sizeof(joined), "%s%s%s", l->cfg->root_path[0] == '/' ? "" : l->bundle,
		 l->cfg->root_path[0] == '/' ? "" : "/", l->cfg->root_path);
	if (!realpath(joined, l->rootfs) || stat(l->rootfs, &st) < 0)
		return kerr_set(err, errno, "root.path: %s", joined);
	if (!S_ISDIR(st.st_mode))
		return kerr_set(err, ENOTDIR, "root.path: %s", joined);
	return 0;
}

/* runc's way: a new file beside it (O_EXCL: never through a planted
 * symlink), renamed over it (replacing a symlink, not following it). */
int container_write_pid_file(const char *path, pid_t pid, struct kerr *err)
{
	const char *base = strrchr(path ? path : "", '/');
	char tmp[PATH_MAX], v[16];
	autoclose int fd = -1;

	if (!path)
		return 0;
	base = base ? base + 1 : path;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%.*s.%s.%d", (int)(base - path), path, base,
			     (int)getpid()) >= sizeof(tmp))
		return kerr_set(err, ENAMETOOLONG, "--pid-file %s", path);
	snprintf(v, sizeof(v), "%d", (int)pid);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return kerr_set(err, errno, "--pid-file %s", tmp);
	if (write_all(fd, v, strlen(v)) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		(void)unlink(tmp);
		return kerr_set(err, e, "--pid-file %s", path);
	}
	return 0;
}

static void now_rfc3339(char *out, size_t size)
{
	struct timespec ts;
	struct tm tm;

	/* By hand: strftime would pull musl's time zone code into the binary. */
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
}

static int record_state(const struct launch *l, const char *id, int dirfd, pid_t pid,
			const struct cgroup *cg, struct kerr *err)
{
	struct state s = {.pid = pid, .start_time = pid ? state_pid_start_time(pid) : 0};
	int r;

	snprintf(s.id, sizeof(s.id), "%s", id);
	snprintf(s.bundle, sizeof(s.bundle), "%s", l->bundle);
	snprintf(s.rootfs, sizeof(s.rootfs), "%s", l->rootfs);
	snprintf(s.cgroup, sizeof(s.cgroup), "%s", cg->path);
	now_rfc3339(s.created, sizeof(s.created));
	if (config_annotations_text(l->cfg, s.annotations, sizeof(s.annotations)) < 0)
		return kerr_set(err, E2BIG, "config.json: annotations: more than %zu bytes",
				sizeof(s.annotations) - 1);
	if (pid && !s.start_time)
		return kerr_set(err, ESRCH, "container init %d vanished", (int)pid);
	/* The summary first: whoever sees state.json finds it (keelctl inspect). */
	if ((r = summary_write(dirfd, l->cfg, err)) < 0)
		return r;
	return state_write(dirfd, &s, err);
}

/* Parent side after clone: maps, cgroup, go, wait for ready. */
static int drive_child(struct launch *l, pid_t pid, const struct cgroup *cg, struct kerr *err)
{
	int r;

	if (l->userns && (r = idmap_write(pid, l->cfg, &l->setgroups_denied, err)) < 0)
		return r;
	/* Fail at create, not after start, when the groups cannot be set. */
	if (l->setgroups_denied && l->cfg->proc.n_groups)
		return kerr_set(err, EPERM,
				"process.user.additionalGids: setgroups is denied in "
				"an unprivileged user namespace");
	if ((r = cgroup_enter(cg, pid, err)) < 0)
		return r;
	/* setgroups_denied is decided here, but the child needs it: it is only
	 * read after SYNC_GO, so send it along. */
	if ((r = sync_send(l->sync_fds[0], SYNC_GO, l->setgroups_denied, NULL)) < 0)
		return kerr_set(err, -r, "unable to signal the container init");
	if ((r = hooks_serve_create(l, pid, err)) < 0)
		return r;
	return sync_expect(l->sync_fds[0], SYNC_READY, NULL, err);
}

static int spawn(struct launch *l, const char *id, int dirfd, const struct cgroup *cg, pid_t *pid,
		 struct kerr *err)
{
	int r;

	*pid = -1;
	l->cgroup_dir = cgroup_is_v1(cg->path) ? "" : cg->path; /* no v1 bind fallback */
	if ((r = sync_pair(l->sync_fds, err)) < 0)
		return r;
	r = ns_spawn(l->cfg, l->sync_fds, container_init, l, pid, err);
	close(l->sync_fds[1]);
	if (r == 0)
		r = drive_child(l, *pid, cg, err);
	if (r == 0)
		r = record_state(l, id, dirfd, *pid, cg, err);
	if (r == 0)
		r = container_write_pid_file(l->opts->pid_file, *pid, err);
	/* Until this arrives the init exits when we do: a create killed at
	 * any step leaves no running init behind. */
	if (r == 0 && sync_send(l->sync_fds[0], SYNC_RECORDED, 0, NULL) < 0)
		r = kerr_set(err, ESRCH, "container init %d vanished", (int)*pid);
	close(l->sync_fds[0]);
	return r;
}

static int open_fifo(int dirfd, int *fd, struct kerr *err)
{
	/* 0622: the container's (mapped, unprivileged) root opens it to write. */
	if (mkfifoat(dirfd, STATE_FIFO, 0600) < 0 || fchmodat(dirfd, STATE_FIFO, 0622, 0) < 0)
		return kerr_set(err, errno, "unable to create exec.fifo");
	if ((*fd = openat(dirfd, STATE_FIFO, O_PATH | O_CLOEXEC)) < 0)
		return kerr_set(err, errno, "unable to open exec.fifo");
	return 0;
}

static int prepare(struct launch *l, const struct shim_global *g, const struct create_opts *o,
		   struct kerr *err)
{
	const struct config *c = l->cfg;
	int r;

	if ((r = resolve_paths(l, o->bundle, err)) < 0 || (r = sysctl_check(c, err)) < 0)
		return r;
	if (c->proc.terminal && !o->console_socket)
		return kerr_set(err, 0, "process.terminal: needs --console-socket");
	if (!c->proc.terminal && o->console_socket)
		return kerr_set(err, 0, "--console-socket: process.terminal is false");
	if (o->console_socket && (l->console_fd = terminal_connect(o->console_socket, err)) < 0)
		return l->console_fd;
	char cache[4096];
	snprintf(cache, sizeof(cache), "%s/.seccomp-cache", g->root);
	if ((r = state_root_create(g->root, err)) < 0)
		return r;
	return seccomp_prepare(c, cache, &l->seccomp, err);
}

static void undo(const char *root, const char *id, pid_t pid, const struct cgroup *cg)
{
	struct kerr ignored;

	(void)kill_wait(cg->path, pid, 0, &ignored);
	(void)cgroup_remove(cg->path, &ignored);
	(void)state_dir_remove(root, id, &ignored);
}

int container_create(const struct shim_global *g, const char *id, const struct create_opts *o,
		     int *pid, struct kerr *err)
{
	struct config cfg;
	struct launch l = {.cfg = &cfg, .opts = o, .id = id, .fifo_fd = -1, .console_fd = -1};
	struct cgroup cg = {.path = ""};
	autoclose int dirfd = -1;
	int r;

	*pid = -1;
	if ((r = state_check_id(id, err)) < 0 || (r = config_load(o->bundle, &cfg, err)) < 0)
		return r;
	l.userns = config_ns(&cfg, CLONE_NEWUSER) && !config_ns(&cfg, CLONE_NEWUSER)->path;
	/* Before anything else: the copy re-execs us (and we parse again). */
	if (cloned_binary_needed(&cfg) && (r = cloned_binary_ensure(g->argv, err)) < 0) {
		config_free(&cfg);
		return r;
	}
	r = prepare(&l, g, o, err);
	if (r == 0 && (r = state_dir_create(g->root, id, &dirfd, err)) == 0) {
		/* state.json first (pid 0: being created), so that whatever
		 * step a kill interrupts, delete --force finds the cgroup. */
		if ((r = cgroup_locate(&cfg, id, g->root, &cg, err)) == 0 &&
		    (r = record_state(&l, id, dirfd, 0, &cg, err)) == 0 &&
		    (r = open_fifo(dirfd, &l.fifo_fd, err)) == 0 &&
		    (r = cgroup_prepare(&cfg, &cg, err)) == 0)
			r = spawn(&l, id, dirfd, &cg, pid, err);
		if (r < 0)
			undo(g->root, id, *pid, &cg);
	}
	if (l.fifo_fd >= 0)
		close(l.fifo_fd);
	if (l.console_fd >= 0)
		close(l.console_fd);
	seccomp_prog_free(&l.seccomp);
	config_free(&cfg);
	return r;
}
