#!/bin/sh
# Installs what the build and tests need, then builds libcap, libseccomp and
# cJSON from Debian's source packages against musl into build/sysroot.
# Idempotent: every step checks before it acts; a no-op run is a few dpkg queries.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
SRC=$BUILD/src
SYSROOT=$BUILD/sysroot
KHDR=$BUILD/khdr

PACKAGES="musl-tools gperf dpkg-dev cpio qemu-system-x86 qemu-utils linux-image-cloud-amd64
busybox-static tini e2fsprogs make gcc curl runc crun bubblewrap containerd
valgrind clang libclang-rt-14-dev hyperfine python3 iproute2 libcjson-dev libcap-dev libseccomp-dev
golang-go docker.io podman"
PACKAGES="$PACKAGES chromium" # keelctl boot --svg render check (tests/qemu/bootchart.t)
PACKAGES="$PACKAGES squashfs-tools" # system images: build/image/NAME.sqfs (rootfs/mksquash.sh)

say() { printf 'deps: %s\n' "$*"; }

missing_packages() {
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
			printf '%s ' "$p"
	done
}

install_packages() {
	miss=$(missing_packages)
	[ -z "$miss" ] && return 0
	say "installing: $miss"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $miss
}

# deb-src lines are needed for 'apt-get source'; add them beside the deb ones.
enable_deb_src() {
	changed=0
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		if grep -q '^Types: deb$' "$f"; then
			sed -i 's/^Types: deb$/Types: deb deb-src/' "$f"
			changed=1
		fi
	done
	if [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list &&
		! grep -q '^deb-src ' /etc/apt/sources.list; then
		grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >>/etc/apt/sources.list
		changed=1
	fi
	if [ $changed = 1 ] || ! apt-cache showsrc libcap2 >/dev/null 2>&1; then
		say "enabling deb-src"
		apt-get update -q
	fi
}

# musl ships no kernel headers; expose only the kernel's, never /usr/include.
make_khdr() {
	[ -d "$KHDR" ] && return 0
	mkdir -p "$KHDR"
	ln -sfn /usr/include/linux "$KHDR/linux"
	ln -sfn /usr/include/asm-generic "$KHDR/asm-generic"
	ln -sfn /usr/include/x86_64-linux-gnu/asm "$KHDR/asm"
}

# fetch_source PKG: unpacks Debian's source of PKG under build/src, once.
fetch_source() {
	if ! ls -d "$SRC/$1"-*/ >/dev/null 2>&1; then
		mkdir -p "$SRC"
		(cd "$SRC" && apt-get source -q -o APT::Sandbox::User=root "$1" >/dev/null)
	fi
	ls -d "$SRC/$1"-*/ | head -n1
}

build_libseccomp() {
	[ -f "$SYSROOT/lib/libseccomp.a" ] && return 0
	dir=$(fetch_source libseccomp)
	say "building libseccomp"
	(cd "$dir" && ./configure -q CC=musl-gcc CFLAGS="-Os -ffunction-sections -fdata-sections -isystem $KHDR" \
		--prefix="$SYSROOT" --enable-static --disable-shared >/dev/null &&
		make -s -j2 >/dev/null && make -s install >/dev/null)
}

# One section per function and no unwind tables, so a static binary links
# only what it calls (--gc-sections): ~12 KB less runc-shim. A library built
# with other flags (LIB.flags differs) is built again.
LIB_CFLAGS="-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables"
lib_current() { [ -f "$SYSROOT/lib/$1.a" ] && [ "$(cat "$SYSROOT/lib/$1.flags" 2>/dev/null)" = "$LIB_CFLAGS" ]; }

build_libcap() {
	lib_current libcap && return 0
	dir=$(fetch_source libcap2)
	say "building libcap"
	make -s -C "$dir/libcap" clean >/dev/null
	make -s -C "$dir/libcap" CC=musl-gcc BUILD_CC=gcc SHARED=no PTHREADS=no \
		GOLANG=no COPTS="$LIB_CFLAGS -isystem $KHDR" libcap.a >/dev/null
	mkdir -p "$SYSROOT/lib" "$SYSROOT/include/sys"
	cp "$dir/libcap/libcap.a" "$SYSROOT/lib/"
	cp "$dir/libcap/include/sys/capability.h" "$SYSROOT/include/sys/"
	echo "$LIB_CFLAGS" >"$SYSROOT/lib/libcap.flags"
}

build_cjson() {
	lib_current libcjson && return 0
	dir=$(fetch_source cjson)
	say "building cJSON"
	mkdir -p "$SYSROOT/lib" "$SYSROOT/include/cjson"
	musl-gcc $LIB_CFLAGS -std=c89 -c "$dir/cJSON.c" -o "$dir/cJSON.musl.o"
	rm -f "$SYSROOT/lib/libcjson.a"
	ar rcs "$SYSROOT/lib/libcjson.a" "$dir/cJSON.musl.o"
	cp "$dir/cJSON.h" "$SYSROOT/include/cjson/"
	echo "$LIB_CFLAGS" >"$SYSROOT/lib/libcjson.flags"
}

install_packages
enable_deb_src
make_khdr
build_libseccomp
build_libcap
build_cjson
touch "$SYSROOT/.stamp"
