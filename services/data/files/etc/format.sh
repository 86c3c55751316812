#!/bin/sh
# First boot: makes ext4 on the disk PID 1 handed over. PID 1 hands it over
# only when its first MiB is all zero; checked again here, so a disk holding
# anything is never formatted, whoever asks.
# $1: another node, for tests/ns/format_job.t only.
dev=${1:-/dev/disk/disk}
set -u

blank() { [ "$(dd if=$dev bs=64k count=16 2>/dev/null | tr -d '\000' | wc -c)" -eq 0 ]; }

if [ ! -b $dev ]; then
	echo "data: no blank disk handed over: nothing to format"
	exit 0
fi
if ! blank; then
	echo "data: $dev is not blank: refusing to format it" >&2
	exit 1
fi
echo "data: formatting the blank disk as ext4"
# Full path: busybox sh prefers its own (ext2-only) mke2fs applet. No
# discard: nothing to discard on a blank disk, and it saves the ioctl.
exec /sbin/mke2fs -q -t ext4 -E nodiscard -L keel-data $dev
