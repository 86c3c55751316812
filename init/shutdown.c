/* Shutdown phases as a table: each has an entry action, a "done" test polled
 * from the loop, and a cap after which the next phase starts anyway. The
 * grace periods are polled (reaping wakes the loop), never slept through.
 * PID 1 itself never calls reboot(2): the kernel would panic if the syscall
 * made init exit, so a child does it (busybox init does the same). In a PID
 * namespace that same call ends the namespace; its parent sees the init
 * killed by SIGHUP (reboot) or SIGINT (poweroff/halt), see reboot(2).
 * sync and unmount run in a child under a deadline: a disk that hangs them
 * (dead NFS, stalled virtio, failing media) cannot keep the machine up;
 * the child reports each step on a pipe so the log names what was skipped. */
#include "shutdown.h"
#include "config.h"
#include "console.h"
#include "log.h"
#include "loop.h"
#include "parse.h"
#include "reap.h"
#include "supervisor.h"
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHUTDOWN_POLL_MS 100
#define FS_STEPS_MS	 10000 /* sync + unmount + sync, then reboot(2) regardless */
#define CONSOLE_DRAIN_MS 1000  /* last lines to the console before reboot(2) */

struct phase {
	const char *what;
	void (*enter)(void);
	bool (*done)(void);
	int64_t cap_ms;
};

static const struct init_config *sd_cfg;
static enum power_action sd_action = POWER_NONE;
static size_t sd_phase;
static int64_t sd_phase_end = -1, sd_phase_cap;
static pid_t sd_reboot_pid = -1;
static pid_t sd_fs_pid = -1;
static int sd_fs_progress = -1; /* parent: read end; child: write end */

static bool may_signal_all(void)
{
	/* kill(-1) from anything but a PID 1 would hit the whole host. */
	return sd_cfg->pid1;
}

static void enter_services(void)
{
	supervisor_shutdown_begin();
}

static void signal_all(int sig)
{
	if (!may_signal_all()) {
		log_debug("not PID 1: not sending %s to all processes", signal_name(sig));
		return;
	}
	/* kill(-1) reaches every process but PID 1 (in this PID namespace). */
	if (kill(-1, sig) < 0 && errno != ESRCH)
		log_warn("unable to signal all processes: %m");
	if (sig == SIGTERM)
		(void)kill(-1, SIGCONT); /* stopped processes must see the TERM */
}

static void enter_term(void)
{
	signal_all(SIGTERM);
}

static void enter_kill(void)
{
	signal_all(SIGKILL);
}

/* Every user process descends from PID 1 and orphans are reparented to it,
 * so "no children" means "no processes" (kernel threads are not ours).
 * kill(-1, 0) would count kernel threads on a machine. */
static bool no_processes_left(void)
{
	siginfo_t si;

	reap_children();
	if (!may_signal_all())
		return true;
	return waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD;
}

/* Child: one line per step, so a hang can be named (best effort). */
static void fs_step(const char *what, const char *arg)
{
	char line[PATH_MAX + 32];
	int n = snprintf(line, sizeof(line), "%s%s%s\n", what, arg ? " " : "", arg ? arg : "");

	if (sd_fs_progress >= 0 && n > 0)
		(void)write(sd_fs_progress, line,
			    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line));
}

static void fs_unmount_step(const char *target)
{
	fs_step("unmount", target);
}

static __attribute__((noreturn)) void fs_child(bool machine)
{
	fs_step("sync", NULL);
	sync();
	if (machine)
		mounts_unmount_all(fs_unmount_step);
	fs_step("final sync", NULL);
	sync();
	fs_step("done", NULL);
	_exit(0);
}

static void enter_fs(void)
{
	bool machine = init_is_machine(sd_cfg);
	int p[2] = {-1, -1};

	if (!machine)
		log_debug("not the machine's init: leaving mounts to the namespace's end");
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		log_warn("shutdown: no progress pipe: %m");
	sd_fs_pid = fork();
	if (sd_fs_pid == 0) {
		if (p[0] >= 0)
			close(p[0]);
		sd_fs_progress = p[1];
		fs_child(machine);
	}
	if (p[1] >= 0)
		close(p[1]);
	sd_fs_progress = p[0];
	if (sd_fs_pid < 0)
		log_err("shutdown: unable to fork for sync and unmount: %m; skipped");
}

static bool fs_done(void)
{
	reap_children();
	return sd_fs_pid < 0;
}

/* After the deadline: names the step the child hangs in. */
static void fs_report_skipped(void)
{
	static char buf[65536]; /* a pipe's capacity: every step the child began */
	char *last = NULL, *save = NULL;
	size_t len = 0;
	ssize_t n;

	while (sd_fs_progress >= 0 && len < sizeof(buf) - 1 &&
	       (n = read(sd_fs_progress, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	if (sd_fs_pid > 0) {
		for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			last = l;
		log_warn("shutdown: %s still hangs after %d ms: skipped it and the rest",
			 last ? last : "sync", FS_STEPS_MS);
	}
	if (sd_fs_progress >= 0)
		close(sd_fs_progress);
	sd_fs_progress = -1;
}

static const struct phase phases[] = {
    {"stopping services", enter_services, supervisor_shutdown_done, 60000},
    {"sending TERM to all processes", enter_term, no_processes_left, 5000},
    {"sending KILL to all processes", enter_kill, no_processes_left, 2000},
    {"syncing and unmounting", enter_fs, fs_done, FS_STEPS_MS},
};
#define NPHASES (sizeof(phases) / sizeof(phases[0]))

static const int reboot_cmds[] = {
    [POWER_NONE] = RB_AUTOBOOT,
    [POWER_REBOOT] = RB_AUTOBOOT,
    [POWER_POWEROFF] = RB_POWER_OFF,
    [POWER_HALT] = RB_HALT_SYSTEM,
};

static void phase_enter(size_t i, int64_t now)
{
	sd_phase = i;
	if (i >= NPHASES)
		return;
	log_info("shutdown: %s", phases[i].what);
	phases[i].enter();
	/* The services' cap is the supervisor's own worst case: each service
	 * gets its whole stop-timeout, however many there are. */
	sd_phase_cap = i == 0 ? supervisor_shutdown_budget_ms() : phases[i].cap_ms;
	sd_phase_end = now + sd_phase_cap;
}

/* Nothing is left to run; only PID 1 and the kernel. */
static void shutdown_final(void)
{
	fs_report_skipped();
	log_info("shutdown: %s now", power_action_name(sd_action));
	console_drain(CONSOLE_DRAIN_MS);
	if (!sd_cfg->pid1) {
		log_info("not PID 1: exiting instead of reboot(2)");
		exit(0);
	}
	sd_reboot_pid = fork();
	if (sd_reboot_pid == 0) {
		(void)reboot(reboot_cmds[sd_action]);
		_exit(errno);
	}
	if (sd_reboot_pid < 0)
		log_err("unable to fork for reboot(2): %m");
}

void shutdown_begin(const struct init_config *cfg, enum power_action action)
{
	sd_cfg = cfg;
	sd_action = action;
	phase_enter(0, now_ms());
}

void shutdown_set_action(enum power_action action)
{
	sd_action = action;
}

int64_t shutdown_deadline(void)
{
	int64_t poll;

	if (sd_action == POWER_NONE || sd_phase >= NPHASES)
		return -1;
	poll = now_ms() + SHUTDOWN_POLL_MS;
	return poll < sd_phase_end ? poll : sd_phase_end;
}

void shutdown_step(int64_t now)
{
	while (sd_action != POWER_NONE && sd_phase < NPHASES) {
		const struct phase *p = &phases[sd_phase];
		bool done = p->done();

		if (!done && now < sd_phase_end)
			return;
		if (!done)
			log_warn("shutdown: %s: not done after %lld ms, going on", p->what,
				 (long long)sd_phase_cap);
		phase_enter(sd_phase + 1, now);
		if (sd_phase >= NPHASES)
			shutdown_final();
	}
}

bool shutdown_child_exited(pid_t pid, int wstatus)
{
	int code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 0;

	if (pid == sd_fs_pid) {
		sd_fs_pid = -1;
		return true;
	}
	if (pid != sd_reboot_pid)
		return false;
	sd_reboot_pid = -1;
	/* Only a failed reboot(2) returns; a successful one never comes back. */
	if (sd_cfg->in_container) {
		log_info("reboot(2) not possible here (%s): exiting", strerror(code));
		exit(0);
	}
	log_err("reboot(2) failed: %s; the system stays up", strerror(code));
	return true;
}
