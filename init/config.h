/* init's configuration: defaults, overridden by keel.* options from the kernel
 * command line or argv (init core: cmdline.c fills it, strictly). Passed
 * const * everywhere; no option globals. */
#ifndef KEEL_INIT_CONFIG_H
#define KEEL_INIT_CONFIG_H

#include <limits.h>
#include <stdbool.h>

struct init_config {
	char specdir[PATH_MAX];   /* keel.specdir=   default /containers */
	char runtime[PATH_MAX];   /* keel.runtime=   default /sbin/runc-shim */
	char hostname[65];        /* keel.hostname=  default "keel" */
	char logdir[PATH_MAX];    /* keel.logdir=    persistent service logs; "" = none */
	unsigned disk_timeout_s;  /* keel.disktimeout=S  PID 1's disk worker deadline, default 10 */
	bool debug;               /* keel.debug=1 */
	bool console_echo;        /* keel.echo=0|1   service output echoed to console, default 1 */
	bool debug_shell;         /* keel.shell=1    start the privileged debug shell service */
	bool pid1;                /* true when getpid() == 1 at start */
	bool in_container;        /* not the machine's init (pid namespace): skip
	                             mounts/modules/reboot(2) it may not do */
};

/* The one "is this the machine's init" predicate: PID 1 of the initial PID
 * namespace, not a container's init. Only the machine's init mounts,
 * loads modules, owns the console and calls reboot(2). */
static inline bool init_is_machine(const struct init_config *cfg)
{
	return cfg->pid1 && !cfg->in_container;
}

/* The service that persists the logs (services/logwrite): stopped last,
 * and the one non-root peer of the control socket. */
#define LOG_WRITER_SERVICE "logwrite"

#endif
