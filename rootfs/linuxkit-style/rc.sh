#!/bin/sh
# The LinuxKit-style comparison's boot (busybox init's sysinit; make
# bench-boot): the same steps keel's PID 1 takes, as a shell script with
# Debian's runc: mounts, loopback, modules, cgroup v2, sysctls, the onboot
# jobs in order (runc run), PID 1's data mounts, then each service with
# runc run -d in dependency order (/etc/rc.order, written at build time),
# and the same readiness rule: done once httpd's port 80 listens.
ms() { read u _ </proc/uptime; echo "${u%.*}${u#*.}0"; }

mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o nosuid,mode=0755 dev /dev
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o nosuid,nodev shm /dev/shm
mount -t mqueue -o nosuid,nodev,noexec mqueue /dev/mqueue
mount -t tmpfs -o nosuid,nodev,mode=0755 run /run
mount -t tmpfs -o nosuid,nodev,mode=1777 tmp /tmp
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
hostname keel
ip link set lo up
while read -r m; do insmod "$m"; done </etc/keel/modules
for c in cpu memory pids io cpuset; do
	echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
done
[ -r /etc/keel/sysctl.conf ] && sysctl -q -p /etc/keel/sysctl.conf
mkdir -p /var/log /dev/keel-format

# run_bundle KIND NAME NFDS [-d]: fds 3..2+NFDS are /dev/null, as keel gives
# a service its notify fd.
run_bundle() {
	(
		i=3
		while [ $i -lt $((3 + $3)) ]; do eval "exec $i<>/dev/null"; i=$((i + 1)); done
		exec runc run $4 --bundle "/containers/$1/$2" --preserve-fds "$3" "$2" \
			</dev/null >>"/var/log/$2.log" 2>&1
	) || echo "rc: $1 $2 failed: $?"
}

# PID 1's machine-wide mounts (/etc/keel/mounts, when the image has one):
# before the onboot jobs, a blank disk's node for the format job (owned by
# its uid: "disk DEV DIR FSTYPE OPTS UID:GID"); after them, the mounts.
data_format_node() {
	[ -r /etc/keel/mounts ] || return 0
	while read -r kind a _ _ _ e; do
		[ "$kind" = disk ] && [ "${e:--}" != - ] && [ -b "$a" ] || continue
		[ "$(dd if="$a" bs=64k count=16 2>/dev/null | tr -d '\000' | wc -c)" -eq 0 ] || continue
		mknod /dev/keel-format/disk b $(tr : ' ' <"/sys/class/block/${a#/dev/}/dev") &&
			chown "$e" /dev/keel-format/disk
	done </etc/keel/mounts
}

data_mounts() {
	[ -r /etc/keel/mounts ] || return 0
	while read -r kind a b c d _; do
		case $kind in
		disk) mkdir -p "$b" && mount -t "$c" -o "$d" "$a" "$b" ;;
		dir) mkdir -p "$a" && chown "$b:$c" "$a" && chmod "$d" "$a" ;;
		esac
	done </etc/keel/mounts
}

data_format_node
while read -r kind name nfds; do
	[ "$kind" = onboot ] || continue
	run_bundle onboot "$name" "$nfds"
	runc delete -f "$name" 2>/dev/null
done </etc/rc.order
data_mounts
while read -r kind name nfds; do
	[ "$kind" = services ] && run_bundle services "$name" "$nfds" -d
done </etc/rc.order
give_up=$(($(ms) + 30000)) # a broken service cannot hang the bench
if grep -q '^services httpd ' /etc/rc.order; then
	until grep -q ':0050 [0-9A-F]*:0000 0A' /proc/net/tcp6 /proc/net/tcp 2>/dev/null; do
		[ "$(ms)" -lt $give_up ] || { echo "linuxkit-style: httpd not listening"; break; }
		usleep 10000
	done
fi
echo "linuxkit-style: ready at $(ms) ms, init at $(cat /etc/init-uptime) s"
