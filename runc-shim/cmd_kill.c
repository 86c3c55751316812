/* `kill [--all] ID [SIGNAL]`: signals through a pidfd, so a recycled pid
 * can never be hit; --all signals every process of the container's cgroup
 * (or, without a cgroup, its pid namespace dies with its init on SIGKILL). */
#include "cgroups.h"
#include "parse.h"
#include "shim.h"
#include "state.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* --all: the cgroup's processes, or without a cgroup the pid namespace's
 * (the init itself is signalled through its pidfd afterwards). */
static int kill_all(const struct state *s, int sig)
{
	pid_t pids[4096];
	int n;

	if (s->cgroup[0])
		return cgroup_kill_all(s->cgroup, sig);
	if ((n = state_ns_pids(s->pid, pids, sizeof(pids) / sizeof(pids[0]))) < 0)
		return n;
	for (int i = 0; i < n; i++)
		if (pids[i] != s->pid)
			(void)kill(pids[i], sig); /* it may exit meanwhile */
	return 0;
}

int cmd_kill(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
	bool all = false;
	struct state s;
	int c, sig = SIGTERM, fd, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "a", opts, NULL)) != -1) {
		if (c != 'a')
			return kerr_set(err, 0, "kill: unknown option %s", argv[optind - 1]);
		all = true;
	}
	if (optind >= argc || argc - optind > 2)
		return kerr_set(err, 0, "kill: usage: kill [--all] ID [SIGNAL]");
	if (argc - optind == 2 && (sig = signal_from_name(argv[optind + 1])) < 0)
		return kerr_set(err, 0, "kill: unknown signal \"%s\"", argv[optind + 1]);
	if ((r = state_read(g->root, argv[optind], &s, err)) < 0)
		return r;
	if (state_status(g->root, &s) == ST_STOPPED)
		return kerr_set(err, 0, "container \"%s\" is not running", s.id);
	if (all && (r = kill_all(&s, sig)) < 0)
		return kerr_set(err, -r, "unable to signal every process of %s", s.id);
	if ((fd = state_pidfd(&s, err)) < 0)
		return fd;
	r = (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	close(fd);
	if (r < 0 && !(all && errno == ESRCH))
		return kerr_set(err, errno, "unable to send signal %d to %s", sig, s.id);
	return 0;
}
