/* One shell process at a time. A shell that exits within a second of its
 * start is respawned only after that second, so a broken /bin/sh cannot make
 * PID 1 spin. */
#include "shell.h"
#include "log.h"
#include "loop.h"
#include "spawn.h"

#include <signal.h>
#include <unistd.h>

#define SHELL_PATH	 "/bin/sh"
#define SHELL_RESPAWN_MS 1000

static const struct init_config *shell_cfg;
static pid_t shell_pid = -1;
static int64_t shell_started_ms;
static int64_t shell_respawn_at = -1;
static bool shell_stopped;

static void shell_spawn(void)
{
	static char argv0[] = "sh";
	static char *const argv[] = {argv0, NULL};
	struct spawn_opts o = {
	    .path = SHELL_PATH,
	    .argv = argv,
	    /* init's stdio is /dev/console on the machine */
	    .stdio = {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO},
	    .new_session = true,
	    .controlling_tty = isatty(STDIN_FILENO),
	};
	struct kerr err;
	char buf[600];

	shell_respawn_at = -1;
	shell_started_ms = now_ms();
	shell_pid = spawn(&o, &err);
	if (shell_pid < 0) {
		log_warn("debug shell: %s", kerr_str(&err, buf, sizeof(buf)));
		shell_respawn_at = shell_started_ms + SHELL_RESPAWN_MS * 10;
		return;
	}
	log_info("debug shell started on the console (pid %d)", (int)shell_pid);
}

void shell_start(const struct init_config *cfg)
{
	shell_cfg = cfg;
	if (!cfg->debug_shell || shell_stopped || shell_pid > 0)
		return;
	shell_spawn();
}

void shell_stop_respawn(void)
{
	shell_stopped = true;
	shell_respawn_at = -1;
	/* An interactive shell ignores TERM; hang up its session as a closing
	 * terminal would, so it does not hold up the grace period. */
	if (shell_pid > 0 && kill(-shell_pid, SIGHUP) < 0)
		log_debug("debug shell: unable to hang up: %m");
}

bool shell_child_exited(pid_t pid, int wstatus)
{
	int64_t earliest;

	(void)wstatus;
	if (pid != shell_pid || pid <= 0)
		return false;
	shell_pid = -1;
	if (shell_stopped)
		return true;
	earliest = shell_started_ms + SHELL_RESPAWN_MS;
	shell_respawn_at = earliest > now_ms() ? earliest : now_ms();
	return true;
}

int64_t shell_deadline(void)
{
	return shell_respawn_at;
}

void shell_tick(int64_t now)
{
	if (shell_respawn_at >= 0 && now >= shell_respawn_at && !shell_stopped && shell_cfg)
		shell_spawn();
}
