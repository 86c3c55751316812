/* The waitpid(-1) loop and the table of owners a pid is offered to. A pid no
 * owner claims is an orphan: logged at debug level and forgotten. */
#include "reap.h"
#include "log.h"
#include "shell.h"
#include "shutdown.h"
#include "supervisor.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/wait.h>

static bool (*const child_owners[])(pid_t pid, int wstatus) = {
    supervisor_child_exited,
    shell_child_exited,
    shutdown_child_exited,
};

static void reap_offer(pid_t pid, int wstatus)
{
	for (size_t i = 0; i < sizeof(child_owners) / sizeof(child_owners[0]); i++)
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
