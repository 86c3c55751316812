/* Placeholder until the supervisor lands: no services. */
#include "supervisor.h"
#include "power.h"

void supervisor_start(const struct init_config *cfg)
{
	(void)cfg;
	init_boot_complete();
}
bool supervisor_child_exited(pid_t pid, int wstatus)
{
	(void)pid;
	(void)wstatus;
	return false;
}
int64_t supervisor_deadline(void) { return -1; }
void supervisor_tick(int64_t now) { (void)now; }
void supervisor_shutdown_begin(void) {}
bool supervisor_shutdown_done(void) { return true; }
