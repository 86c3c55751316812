/* The ACPI power button (QEMU's system_powerdown, a real button press): the
 * kernel reports it as KEY_POWER on the input device named "Power Button"
 * (needs the button and evdev modules: CONFIG_ACPI_BUTTON=m and
 * CONFIG_INPUT_EVDEV=m in the cloud kernel). There is no acpid: PID 1 reads
 * the event device in its loop and requests a poweroff. */
#ifndef KEEL_INIT_POWERBUTTON_H
#define KEEL_INIT_POWERBUTTON_H

#include "config.h"

/* Machine's init only, after modules are loaded; 0 found is logged. */
void powerbutton_watch(const struct init_config *cfg);

#endif
