#!/bin/sh
# The data disk's format job (services/data/files/etc/format.sh) run on loop
# devices with busybox sh: its own check refuses any disk with a non-zero
# byte in its first MiB (random data; one byte at the end of the MiB) and
# leaves it byte for byte unchanged; a blank disk gets ext4; no device node
# means nothing to do. PID 1 hands over only blank disks (tests/qemu/noroot.t);
# this is the second line of defence, checked alone.
. "$(dirname "$0")/../lib.sh"
JOB=$KEEL_ROOT/services/data/files/etc/format.sh
if [ "$(id -u)" != 0 ] || ! command -v losetup busybox >/dev/null || [ ! -x /sbin/mke2fs ]; then
	skip "format job" "needs root, losetup, busybox and /sbin/mke2fs"
	exit 0
fi
T=$(mktemp -d /tmp/keel-format.XXXXXX)
LOOP=
cleanup() {
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# run_on IMG: the job on IMG through a fresh loop device; output in $T/out.
run_on() {
	LOOP=$(losetup -f --show "$1") || return 99
	busybox sh "$JOB" "$LOOP" >"$T/out" 2>&1
	rc=$?
	losetup -d "$LOOP"
	LOOP=
	return $rc
}

busybox sh "$JOB" "$T/none" >"$T/out" 2>&1
check_eq "no device node: exit 0" 0 $?
check_match "no device node: says nothing to format" 'nothing to format' "$(cat "$T/out")"

head -c 1048576 /dev/urandom >"$T/random.img"
truncate -s 8M "$T/random.img"
sum=$(sha256sum <"$T/random.img")
run_on "$T/random.img"
check_eq "random first MiB: refused (exit 1)" 1 $?
check_match "random first MiB: says why" 'not blank: refusing to format' "$(cat "$T/out")"
check_eq "random first MiB: disk unchanged" "$sum" "$(sha256sum <"$T/random.img")"

truncate -s 8M "$T/onebyte.img"
printf '\001' | dd of="$T/onebyte.img" bs=1 seek=1048575 conv=notrunc 2>/dev/null
sum=$(sha256sum <"$T/onebyte.img")
run_on "$T/onebyte.img"
check_eq "one non-zero byte at the end of the first MiB: refused" 1 $?
check_eq "one non-zero byte: disk unchanged" "$sum" "$(sha256sum <"$T/onebyte.img")"

truncate -s 8M "$T/blank.img"
run_on "$T/blank.img"
check_eq "blank disk: formatted (exit 0)" 0 $?
check_eq "blank disk: ext4 superblock magic" 53ef \
	"$(dd if="$T/blank.img" bs=1 skip=1080 count=2 2>/dev/null | od -An -tx1 | tr -d ' \n')"
sum=$(sha256sum <"$T/blank.img")
run_on "$T/blank.img"
check_eq "an ext4 disk is not formatted again" 1 $?
check_eq "the ext4 disk is unchanged" "$sum" "$(sha256sum <"$T/blank.img")"
t_done
