/* The waitpid(-1) loop and the table of owners a pid is offered to (given
 * by main, so this file calls nobody). A pid no owner claims is an orphan:
 * logged at debug level and forgotten. */
#include "reap.h"
#include "log.h"

#include <errno.h>
#include <sys/wait.h>

static const reap_owner *child_owners;
static size_t n_owners;

void reap_set_owners(const reap_owner *owners, size_t n)
{
	child_owners = owners;
	n_owners = n;
}

static void reap_offer(pid_t pid, int wstatus)
{
	for (size_t i = 0; i < n_owners; i++)
		if (child_owners[i](pid, wstatus))
			return;
	log_debug("reaped orphan %d", (int)pid);
}

void reap_children(void)
{
	for (;;) {
		int wstatus;
		pid_t pid = waitpid(-1, &wstatus, WNOHANG);

		if (pid > 0) {
			reap_offer(pid, wstatus);
			continue;
		}
		if (pid < 0 && errno == EINTR)
			continue;
		return; /* 0: children left but none exited; ECHILD: none at all */
	}
}
