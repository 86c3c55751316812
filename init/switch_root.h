/* Leaving the initramfs: its root ("rootfs") has no parent mount, so
 * pivot_root(2) fails on it and no container could be started from it. When
 * PID 1 runs on rootfs, rootfs is bind-mounted over itself and init chroots
 * into the bind, which has a parent: no copy, no re-exec (docs/init.md). */
#ifndef KEEL_INIT_SWITCH_ROOT_H
#define KEEL_INIT_SWITCH_ROOT_H

/* Returns with / on the bind mount, or unchanged when / already has a parent
 * or the switch failed (logged; boot goes on from rootfs). */
void switch_root_if_initramfs(void);

#endif
