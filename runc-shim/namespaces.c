/* Namespaces: the container init is made by one clone() with every new
 * namespace flag, so the pid, mount, ... namespaces are owned by its new
 * user namespace. Joining existing namespaces (linux.namespaces[].path)
 * happens in a short-lived helper that setns()es (user first, so it holds
 * CAP_SYS_ADMIN over namespaces that user namespace owns) and then clones
 * with CLONE_PARENT, so the init is still our child. */
#include "namespaces.h"
#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>


const char *ns_name(int type)
{
	for (size_t i = 0; i < NS_KINDS; i++)
		if (ns_kinds[i].type == type)
			return ns_kinds[i].name;
	return "?";
}

static int clone_flags(const struct config *c, bool *joins)
{
	int flags = 0;

	*joins = false;
	for (size_t i = 0; i < c->n_ns; i++) {
		if (c->ns[i].path)
			*joins = true;
		else if (c->ns[i].type != CLONE_NEWCGROUP)
			flags |= c->ns[i].type;
	}
	return flags;
}

/* fork()-like clone: the child continues on a copy of our stack. Only the
 * raw syscall takes namespace flags this way; the child must not rely on
 * musl's cached thread id (it never calls raise() or pthread functions). */
static pid_t clone_fork(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

/* In the helper: open every path first (a joined mount namespace changes
 * what later paths mean), then join in ns_kinds order. */
static int join_all(const struct config *c, struct kerr *err)
{
	int fds[NS_KINDS];
	int r = 0;
	size_t n = NS_KINDS, i;

	for (i = 0; i < n; i++) {
		const struct cfg_ns *ns = config_ns(c, ns_kinds[i].type);
		fds[i] = -1;
		if (ns && ns->path && (fds[i] = open(ns->path, O_RDONLY | O_CLOEXEC)) < 0)
			r = kerr_set(err, errno, "linux.namespaces: unable to open %s", ns->path);
	}
	for (i = 0; r == 0 && i < n; i++)
		if (fds[i] >= 0 && setns(fds[i], ns_kinds[i].type) < 0)
			r = kerr_set(err, errno, "unable to join the %s namespace",
				     ns_kinds[i].name);
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return r;
}

static void helper(const struct config *c, int sync_fd, int flags, void (*fn)(void *), void *arg)
{
	struct kerr err = {0};
	pid_t pid;

	if (join_all(c, &err) < 0)
		sync_fail(sync_fd, &err);
	pid = clone_fork((unsigned long)flags | CLONE_PARENT);
	if (pid < 0) {
		kerr_set(&err, errno, "unable to clone the container init");
		sync_fail(sync_fd, &err);
	}
	if (pid == 0)
		fn(arg);
	_exit(sync_send(sync_fd, SYNC_PID, pid, NULL) < 0);
}

int ns_spawn(const struct config *c, const int sync_fds[2], void (*fn)(void *), void *arg,
	     pid_t *pid, struct kerr *err)
{
	bool joins;
	int flags = clone_flags(c, &joins), status;
	int32_t child;
	pid_t h;

	if (!joins) {
		if ((*pid = clone_fork((unsigned long)flags)) < 0)
			return kerr_set(err, errno, "unable to clone the container init");
		if (*pid == 0)
			fn(arg);
		return 0;
	}
	if ((h = clone_fork(0)) < 0)
		return kerr_set(err, errno, "unable to fork");
	if (h == 0)
		helper(c, sync_fds[1], flags, fn, arg);
	while (waitpid(h, &status, 0) < 0)
		if (errno != EINTR)
			return kerr_set(err, errno, "waitpid");
	/* The helper queued SYNC_PID (or its error) before it exited. */
	if (sync_expect(sync_fds[0], SYNC_PID, &child, err) < 0)
		return -EINVAL;
	*pid = child;
	return 0;
}
