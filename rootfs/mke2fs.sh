#!/bin/sh
# Usage: rootfs/mke2fs.sh OUT
# Builds a static musl mke2fs from Debian's e2fsprogs source into OUT, once.
# Why not Debian's binary: it needs glibc and five shared libraries (~1.1 MB
# compressed); the static musl build is ~240 kB compressed, and busybox's
# mke2fs cannot make ext4 (no journal).
set -eu
OUT=$1
[ -x "$OUT" ] && exit 0
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/build/e2fs-src
mkdir -p "$SRC"
if ! ls -d "$SRC"/e2fsprogs-*/ >/dev/null 2>&1; then
	(cd "$SRC" && apt-get source -q -o APT::Sandbox::User=root e2fsprogs >/dev/null)
fi
dir=$(ls -d "$SRC"/e2fsprogs-*/ | head -n1)
echo "image: building static mke2fs from $(basename "$dir")"
mkdir -p "$dir/b"
cd "$dir/b"
[ -f Makefile ] || ../configure -q CC=musl-gcc CFLAGS="-Os -isystem $ROOT/build/khdr" \
	LDFLAGS=-static --disable-nls --disable-fuse2fs --disable-uuidd --disable-backtrace \
	--disable-debugfs --disable-imager --disable-resizer --disable-defrag --disable-tdb \
	--disable-e2initrd-helper --without-libarchive --disable-elf-shlibs >/dev/null
make -s -j2 libs >/dev/null
make -s -j2 -C misc mke2fs >/dev/null
mkdir -p "$(dirname "$OUT")"
strip -o "$OUT" misc/mke2fs
