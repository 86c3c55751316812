/* Power requests and the ready line. A request starts the shutdown path once;
 * later requests may only upgrade a halt (the one action that leaves the
 * machine on) to poweroff or reboot. */
#include "power.h"
#include "config.h"
#include "console.h"
#include "io.h"
#include "log.h"
#include "loop.h"
#include "shell.h"
#include "shutdown.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static const struct init_config *power_cfg;
static enum power_action power_pending = POWER_NONE;
static int64_t power_start_ms;
static bool power_ready_done;

void power_setup(const struct init_config *cfg)
{
	power_cfg = cfg;
	power_start_ms = now_ms();
}

void power_request(enum power_action action)
{
	if (action == POWER_NONE || !power_cfg)
		return;
	if (power_pending == POWER_NONE) {
		power_pending = action;
		log_info("%s requested", power_action_name(action));
		shell_stop_respawn();
		shutdown_begin(power_cfg, action);
		return;
	}
	if (power_pending == POWER_HALT && action != POWER_HALT) {
		log_info("%s requested: upgrading halt", power_action_name(action));
		power_pending = action;
		shutdown_set_action(action);
		return;
	}
	log_info("%s requested: shutdown already in progress", power_action_name(action));
}

/* The machine's PID 1 reports time since the kernel started (CLOCK_BOOTTIME);
 * in a container, time since this init started. */
static int64_t boot_ms(void)
{
	struct timespec ts;

	if (init_is_machine(power_cfg) && clock_gettime(CLOCK_BOOTTIME, &ts) == 0)
		return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return now_ms() - power_start_ms;
}

void init_boot_complete(void)
{
	char line[64];
	int n;

	if (power_ready_done || !power_cfg)
		return;
	power_ready_done = true;
	/* Exactly one line that starts with "keel: ready": no timestamp prefix,
	 * so tests and users can match it at the start of a line. */
	n = snprintf(line, sizeof(line), "keel: ready in %lld ms\n", (long long)boot_ms());
	console_write(line, (size_t)n); /* never blocks; dropped (counted) if it cannot fit */
	if (power_pending == POWER_NONE)
		shell_start(power_cfg);
}

void init_boot_stuck(void)
{
	if (!power_cfg || power_pending != POWER_NONE || !power_cfg->debug_shell)
		return;
	log_warn("boot not complete yet: starting the debug shell anyway");
	shell_start(power_cfg);
}
