/* `exec` on both sides of the fork: a process joins a running container's
 * namespaces (those that differ from ours, user first: see namespaces.c),
 * is forked inside its pid namespace as our child, moved into its cgroup,
 * and then takes the same privilege steps as the container init. The
 * container's init is named by pid: its start time is checked again once
 * we have joined, so a recycled pid is caught before anything runs. */
#include "cgroups.h"
#include "exec.h"
#include "kill_wait.h"
#include "io.h"
#include "namespaces.h"
#include "process.h"
#include "sync.h"
#include "terminal.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


/* Joining our own user namespace is EINVAL; the others would be no-ops. */
static int ns_differs(pid_t pid, const char *name, bool *differs, struct kerr *err)
{
	char path[64];
	struct stat ours, theirs;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	if (stat(path, &theirs) < 0)
		return kerr_set(err, errno, "unable to stat %s", path);
	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	if (stat(path, &ours) < 0)
		return kerr_set(err, errno, "unable to stat %s", path);
	*differs = ours.st_ino != theirs.st_ino || ours.st_dev != theirs.st_dev;
	return 0;
}

/* A config that only joins: ns_spawn() then setns()es in its order. */
static int join_config(pid_t pid, struct config *jc, char paths[][64], struct kerr *err)
{
	memset(jc, 0, sizeof(*jc));
	for (size_t i = 0; i < NS_KINDS; i++) {
		bool differs = false;
		int r = ns_differs(pid, ns_kinds[i].proc, &differs, err);

		if (r < 0)
			return r;
		if (!differs)
			continue;
		snprintf(paths[i], 64, "/proc/%d/ns/%s", (int)pid, ns_kinds[i].proc);
		jc->ns[jc->n_ns++] = (struct cfg_ns){ns_kinds[i].type, paths[i]};
	}
	return 0;
}

/* "deny" when the container's runtime was unprivileged (see idmap.c). */
static int setgroups_denied(pid_t pid, bool *denied, struct kerr *err)
{
	char path[64], v[16] = "";
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
	if ((n = read_file(path, v, sizeof(v) - 1)) < 0)
		return kerr_set(err, (int)-n, "unable to read %s", path);
	*denied = strncmp(v, "deny", 4) == 0;
	return 0;
}

/* The exec'd process, from the fork inside the pid namespace to execve. */
static void exec_init(void *arg)
{
	const struct launch *l = arg;
	const struct cfg_process *p = &l->cfg->proc;
	struct kerr err = {0};
	char exe[PATH_MAX];
	int fd = l->sync_fds[1];

	close(l->sync_fds[0]);
	/* Die with `exec` while it still drives us. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		kerr_set(&err, errno, "prctl(PR_SET_PDEATHSIG)");
		sync_fail(fd, &err);
	}
	if (container_close_inherited(l, &err) < 0 || container_reset_signals(&err) < 0 ||
	    sync_expect(fd, SYNC_GO, NULL, &err) < 0)
		sync_fail(fd, &err);
	/* setns(mnt) made the container's root our root and cwd: every path
	 * from here on resolves inside it. */
	if (process_find_exec(p, exe, &err) < 0 ||
	    (p->terminal && terminal_setup(l->console_fd, false, &err) < 0))
		sync_fail(fd, &err);
	if (!p->terminal && setsid() < 0) { /* own session: no signals from ours */
		kerr_set(&err, errno, "setsid");
		sync_fail(fd, &err);
	}
	/* May need CAP_SYS_RESOURCE: before the drop. */
	if (process_set_rlimits(p, &err) < 0 || process_set_oom_score(p, &err) < 0 ||
	    container_drop_privileges(l, &err) < 0)
		sync_fail(fd, &err);
	/* We outlive `exec --detach`: the caller (a subreaper) adopts us. */
	if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0) {
		kerr_set(&err, errno, "prctl(PR_SET_PDEATHSIG)");
		sync_fail(fd, &err);
	}
	execve(exe, (char *const *)p->args, p->env ? (char *const *)p->env : (char *const[]){NULL});
	kerr_set(&err, errno, "exec %s", exe);
	sync_fail(fd, &err);
}

/* Parent side once the process exists: recheck the init, cgroup, go. */
static int drive(const struct state *s, struct launch *l, pid_t pid, struct kerr *err)
{
	struct cgroup cg;
	int r;

	/* The namespaces we joined were the init's only if it still lives. */
	if (state_pid_start_time(s->pid) != s->start_time)
		return kerr_set(err, ESRCH, "container \"%s\" is not running", s->id);
	snprintf(cg.path, sizeof(cg.path), "%s", s->cgroup);
	if ((r = cgroup_enter_exec(&cg, s->pid, pid, err)) < 0)
		return r;
	if ((r = sync_send(l->sync_fds[0], SYNC_GO, 0, NULL)) < 0)
		return kerr_set(err, -r, "unable to signal the exec'd process");
	return sync_expect_exec(l->sync_fds[0], err);
}

int exec_spawn(const struct state *s, struct launch *l, pid_t *pid, struct kerr *err)
{
	char paths[NS_KINDS][64];
	struct config jc;
	int r;

	*pid = -1;
	if ((r = join_config(s->pid, &jc, paths, err)) < 0 ||
	    (r = setgroups_denied(s->pid, &l->setgroups_denied, err)) < 0)
		return r;
	if (l->setgroups_denied && l->cfg->proc.n_groups)
		return kerr_set(err, EPERM,
				"process.user.additionalGids: setgroups is denied in "
				"the container's user namespace");
	/* Non-dumpable (inherited by the fork, reset by its execve): once we
	 * are in the container's user namespace, its root must not ptrace us
	 * or open our /proc fds and exe before the exec (CVE-2016-9962). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return kerr_set(err, errno, "prctl(PR_SET_DUMPABLE)");
	if ((r = sync_pair(l->sync_fds, err)) < 0)
		return r;
	r = ns_spawn(&jc, l->sync_fds, exec_init, l, pid, err);
	close(l->sync_fds[1]);
	if (r == 0 && (r = drive(s, l, *pid, err)) < 0) {
		struct kerr ignored;
		(void)kill_wait("", *pid, 0, &ignored);
		*pid = -1;
	}
	close(l->sync_fds[0]);
	return r;
}
