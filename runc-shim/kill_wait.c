/* See kill_wait.h. A pidfd pins the process, so a recycled pid is never
 * signalled; it polls readable once the process has exited, whether it is
 * our child or not. */
#include "kill_wait.h"
#include "cgroups.h"
#include "state.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int kill_wait(const char *cgroup, pid_t pid, uint64_t start_time, struct kerr *err)
{
	struct pollfd p = {.events = POLLIN};
	int r;

	if (cgroup[0])
		(void)cgroup_kill_all(cgroup, SIGKILL); /* the init too, below */
	if (pid <= 0 || (p.fd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0)
		return 0; /* already gone */
	if (start_time && state_pid_start_time(pid) != start_time) {
		close(p.fd);
		return 0; /* the pid is someone else's now */
	}
	if (syscall(SYS_pidfd_send_signal, p.fd, SIGKILL, NULL, 0) < 0 && errno != ESRCH) {
		r = kerr_set(err, errno, "unable to kill %d", (int)pid);
		close(p.fd);
		return r;
	}
	while ((r = poll(&p, 1, 10000)) < 0 && errno == EINTR)
		;
	close(p.fd);
	if (r <= 0)
		return kerr_set(err, ETIMEDOUT, "process %d did not die", (int)pid);
	/* Ours: reap it (ECHILD otherwise, which is fine). */
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return 0;
}
