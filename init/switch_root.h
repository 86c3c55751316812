/* Leaving the initramfs: its root ("rootfs") has no parent mount, so
 * pivot_root(2) fails on it and no container could be started from it. When
 * PID 1 runs on rootfs, the tree is copied into a fresh tmpfs, the old files
 * are deleted (freeing their memory), the tmpfs is moved over / and init
 * re-executes itself from it, as LinuxKit's init does. */
#ifndef KEEL_INIT_SWITCH_ROOT_H
#define KEEL_INIT_SWITCH_ROOT_H

/* Returns when / is not rootfs (nothing to do) or when switching failed
 * (logged; boot goes on from rootfs). On success it execs /sbin/init argv. */
void switch_root_if_initramfs(char *const *argv);

#endif
