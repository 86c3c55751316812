#!/bin/sh
# Usage: rootfs/mksquash.sh DIR OUT.sqfs   (run by rootfs/mkimage.sh)
# Packs one system image (docs/image.md#system-images): the rootfs
# services/build.py filled for a service with `image =`, as a read-only
# squashfs. xz with the x86 BCJ filter (smaller executables); like the
# initramfs: owner root, mtimes 0, sorted (mksquashfs sorts directories),
# hard links stored once, so the file depends only on DIR's content.
set -eu
[ $# = 2 ] || { echo "usage: $0 DIR OUT.sqfs" >&2; exit 2; }
command -v mksquashfs >/dev/null || { echo "mksquash: mksquashfs not found (make deps)" >&2; exit 1; }
rm -f "$2.tmp"
mksquashfs "$1" "$2.tmp" -noappend -quiet -no-progress -comp xz -Xbcj x86 \
	-all-root -all-time 0 -mkfs-time 0 -no-xattrs >/dev/null
mv "$2.tmp" "$2"
