/* `delete [--force] ID`: removes a stopped container's cgroup and state
 * dir; --force first kills a live one and waits (via pidfd: the init is
 * not our child) until it is gone. */
#include "cgroups.h"
#include "hooks.h"
#include "shim.h"
#include "state.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int kill_and_wait(const struct state *s, struct kerr *err)
{
	struct pollfd p = {.events = POLLIN};
	int r;

	if (s->cgroup[0])
		(void)cgroup_kill_all(s->cgroup, SIGKILL); /* the init too, below */
	if ((p.fd = state_pidfd(s, err)) < 0)
		return 0; /* already gone */
	if (syscall(SYS_pidfd_send_signal, p.fd, SIGKILL, NULL, 0) < 0 && errno != ESRCH) {
		r = kerr_set(err, errno, "unable to kill %s", s->id);
		close(p.fd);
		return r;
	}
	/* A pidfd polls readable once the process has exited. */
	while ((r = poll(&p, 1, 10000)) < 0 && errno == EINTR)
		;
	close(p.fd);
	return r > 0 ? 0 : kerr_set(err, ETIMEDOUT, "container \"%s\" did not die", s->id);
}

int cmd_delete(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
	bool force = false;
	struct state s;
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (c != 'f')
			return kerr_set(err, 0, "delete: unknown option %s", argv[optind - 1]);
		force = true;
	}
	if (optind != argc - 1)
		return kerr_set(err, 0, "delete: expected exactly one container ID");
	if ((r = state_read(g->root, argv[optind], &s, err)) < 0) {
		/* runc: a missing container is fine with --force. */
		return force && strstr(err->msg, "does not exist") ? 0 : r;
	}
	if (state_status(g->root, &s) != ST_STOPPED) {
		if (!force)
			return kerr_set(err, 0,
					"cannot delete container \"%s\" that is not stopped: "
					"use --force",
					s.id);
		if ((r = kill_and_wait(&s, err)) < 0)
			return r;
	}
	if ((r = cgroup_remove(s.cgroup, err)) < 0)
		return r;
	hooks_run_after(&s, HOOK_POSTSTOP, "stopped");
	return state_dir_remove(g->root, s.id, err);
}
