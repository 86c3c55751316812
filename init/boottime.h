/* The boot timeline (issue 13): init's own phases and, per bundle, when it
 * was wanted, spawned (runc-shim create), created, started, ready and exited,
 * in ms since the kernel started (CLOCK_BOOTTIME; in a container, since init
 * started). A fixed table: the first instance of each bundle is kept, so
 * restarts never grow it. Served as the control command "boot" (lines,
 * docs/init.md); keelctl boot renders it (keelctl_boot.c). */
#ifndef KEEL_INIT_BOOTTIME_H
#define KEEL_INIT_BOOTTIME_H

#include "service.h"

#include <stdbool.h>

struct ctl_reply;

/* Marks, in boot order; each names the phase it ends. */
enum boot_mark {
	BM_INIT,	/* the kernel handed over to init (first exec) */
	BM_SWITCH_ROOT, /* / moved off the initramfs rootfs (switch_root.c) */
	BM_MOUNTS,	/* pseudo-filesystems, console, kernel command line */
	BM_LOOPBACK,
	BM_MODULES,
	BM_CGROUPS,
	BM_FIRST_SPAWN, /* event loop, spec directory read, first runc-shim call */
	BM_READY,	/* onboot jobs done, every service ready or failed */
	N_BOOT_MARKS
};

#define BOOT_UNITS_MAX 128 /* bundles recorded; more are counted, not kept */

/* Called once, first thing: machine selects CLOCK_BOOTTIME's origin (the
 * kernel's start), else init's own start. */
void boottime_start(bool machine);
/* The first call for a mark wins: a re-executed init does not move it. */
void boottime_mark(enum boot_mark m);
/* A bundle entered state st (called on every transition, service.c). */
void boottime_service(const struct service *s, enum svc_state st);
/* The "boot" control command's body. */
void boottime_reply(struct ctl_reply *r);

#endif
