/* Power actions: the shutdown path shared by signals, ctrl-alt-del, the ACPI
 * power button and keelctl. Owned by init core (power.c / shutdown.c). */
#ifndef KEEL_INIT_POWER_H
#define KEEL_INIT_POWER_H

enum power_action { POWER_NONE, POWER_REBOOT, POWER_POWEROFF, POWER_HALT };

struct init_config;

/* Called once by main before the loop runs: the config the shutdown path and
 * the ready line consult (kept as a const pointer, never copied). */
void power_setup(const struct init_config *cfg);
/* "reboot", "poweroff", "halt" (NULL for POWER_NONE). Inline: shutdown.c
 * names the action without calling back into power.c. */
static inline const char *power_action_name(enum power_action action)
{
	static const char *const names[] = {
	    [POWER_NONE] = 0,
	    [POWER_REBOOT] = "reboot",
	    [POWER_POWEROFF] = "poweroff",
	    [POWER_HALT] = "halt",
	};
	return names[action];
}

/* Starts the shutdown sequence (idempotent: a second request is ignored,
 * except that it may upgrade halt to poweroff/reboot). */
void power_request(enum power_action action);

/* Called by the supervisor when boot is complete; prints "keel: ready". */
void init_boot_complete(void);
/* Called by the supervisor when boot is still not complete after a while:
 * starts the debug shell (keel.shell=1) so a stuck boot can be looked at. */
void init_boot_stuck(void);

#endif
