/* `run`: create + start; without --detach, wait for the container, pass
 * it our signals (held during create), delete it, and exit with its
 * status (128+N for a signal, as runc). */
#include "cgroups.h"
#include "hooks.h"
#include "kill_wait.h"
#include "shim.h"
#include "state.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static volatile sig_atomic_t run_child = -1;

static void forward(int sig)
{
	if (run_child > 0)
		kill((pid_t)run_child, sig);
}

static const int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

static void forwarded_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
}

int shim_wait_child(pid_t pid, struct kerr *err)
{
	struct sigaction sa = {.sa_handler = forward};
	sigset_t set;
	int status;

	run_child = pid;
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		if (sigaction(forwarded[i], &sa, NULL) < 0)
			return kerr_set(err, errno, "sigaction");
	/* What arrived while `run` was creating was held for the container. */
	forwarded_set(&set);
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) < 0)
		return kerr_set(err, errno, "sigprocmask");
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return kerr_set(err, errno, "waitpid");
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void cleanup(const struct shim_global *g, const char *id)
{
	struct kerr ignored;
	struct state s;

	if (state_read(g->root, id, &s, &ignored) == 0) {
		(void)kill_wait(s.cgroup, 0, 0, &ignored); /* the init's leftovers */
		(void)cgroup_remove(s.cgroup, &ignored);
		hooks_run_after(&s, HOOK_POSTSTOP, "stopped");
	}
	(void)state_dir_remove(g->root, id, &ignored);
}

int cmd_run(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	struct create_opts o;
	const char *id;
	sigset_t held;
	int pid, r;

	if ((r = create_opts_parse(argc, argv, true, &o, &id, err)) < 0)
		return r;
	/* A signal during create must not kill us halfway (leaving an init
	 * and a state dir behind): hold it, and pass it on once the container
	 * runs. The container's init unblocks everything itself. */
	forwarded_set(&held);
	if (!o.detach && sigprocmask(SIG_BLOCK, &held, NULL) < 0)
		return kerr_set(err, errno, "sigprocmask");
	if ((r = container_create(g, id, &o, &pid, err)) < 0)
		return r;
	if ((r = container_start(g, id, err)) < 0 || o.detach) {
		if (r < 0) {
			struct kerr ignored;
			(void)kill_wait("", pid, 0, &ignored);
			cleanup(g, id);
		}
		return r;
	}
	r = shim_wait_child(pid, err);
	cleanup(g, id);
	return r;
}
