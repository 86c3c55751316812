#!/bin/sh
# /init of the LinuxKit-style comparison image (make bench-boot): what
# LinuxKit's own init does before anything else: copy the initramfs into a
# tmpfs (runc cannot pivot_root out of rootfs), then switch_root to busybox
# init. Notes the uptime at which the kernel handed over, for the bench.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
read up _ </proc/uptime
umount /proc
mkdir /newroot
mount -t tmpfs -o mode=0755 tmpfs /newroot
for d in /*; do
	case $d in /newroot | /proc | /sys) mkdir -p "/newroot$d" ;; *) cp -a "$d" /newroot/ ;; esac
done
echo "$up" >/newroot/etc/init-uptime
exec switch_root /newroot /sbin/init
