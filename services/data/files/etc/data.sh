#!/bin/sh
# First boot: a blank disk (first MiB all zero) gets ext4; a disk that holds
# anything else than ext4 is left alone. No disk: state dirs live in RAM.
# The mount and the state dirs are made in PID 1's mount namespace: a mount
# made in our own would reach neither the host nor the services' binds.
dev=/dev/vda
set -u

blank() { [ "$(dd if=$dev bs=64k count=16 2>/dev/null | tr -d '\000' | wc -c)" -eq 0 ]; }
is_ext4() { [ "$(dd if=$dev bs=1 skip=1080 count=2 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 53ef ]; }
# Runs the host's own binaries in the host's mount namespace.
host() { nsenter -t 1 -m -- "$@"; }

if [ -e /sys/block/vda/dev ]; then
	# Our /dev is a private tmpfs: make the one node this job needs.
	[ -b $dev ] || mknod $dev b $(tr : ' ' </sys/block/vda/dev) || exit 1
	if blank; then
		echo "data: formatting blank $dev as ext4"
		# full path: busybox sh prefers its own (ext2-only) mke2fs applet
		/sbin/mke2fs -q -t ext4 -L keel-data $dev || exit 1
	fi
	if ! is_ext4; then
		echo "data: $dev holds something that is not ext4: left alone" >&2
		exit 1
	fi
	host mount -t ext4 -o nosuid,nodev,noexec $dev /data || exit 1
	echo "data: $dev mounted on /data"
else
	echo "data: no data disk: service state lives in RAM"
fi
# One host process per dir: each exec costs under emulation.
while read -r name uid gid; do
	host /bin/sh -c 'mkdir -p "$1" && chown "$2:$3" "$1" && chmod 0700 "$1"' \
		sh "/data/$name" "$uid" "$gid" || exit 1
done </etc/data-dirs
