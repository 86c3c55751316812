#!/bin/sh
# Usage: rootfs/mkimage.sh   (run by `make image`; see docs/image.md)
# Builds build/image/vmlinuz, build/image/initramfs.cpio.gz and one
# build/image/NAME.sqfs per service with a system image, from
# build/bin/{init,runc-shim}, busybox-static, the Debian cloud kernel and
# services/. Needs no root: the tree is packed with cpio --owner 0:0, and
# /dev/console comes from the kernel's built-in initramfs.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/image
TREE=$OUT/root
SYSTEM=$OUT/system   # rootfs of each system image, before mksquash.sh
BIN=${KEEL_BIN:-$ROOT/build/bin}   # another bin dir: for trying images
BUSYBOX=${KEEL_BUSYBOX:-/bin/busybox}
# Modules init loads at boot, in this order (dependencies are added):
# virtio NIC and disk, overlayfs, squashfs (system images; its xz/zstd/lz4
# decompressors are built into Debian's cloud kernel), and the ACPI power
# button (button + evdev, so QEMU's system_powerdown reaches init as a key event).
MODULES=${KEEL_MODULES:-"virtio_pci virtio_net virtio_blk overlay squashfs button evdev"}

die() { echo "image: $*" >&2; exit 1; }

# The version of the kernel that linux-image-cloud-amd64 depends on.
kernel_version() {
	[ -n "${KEEL_KVER:-}" ] && { echo "$KEEL_KVER"; return; }
	dpkg-query -W -f='${Depends}\n' linux-image-cloud-amd64 2>/dev/null |
		tr ',' '\n' | sed -n 's/^ *linux-image-\([^ ]*\).*/\1/p' | head -n1
}

make_skeleton() {
	rm -rf "$TREE"
	for d in bin sbin etc/keel proc sys dev run tmp var root data containers lib/modules; do
		mkdir -p "$TREE/$d"
	done
	chmod 1777 "$TREE/tmp"
	chmod 0700 "$TREE/root"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$TREE/etc/passwd"
	printf 'root:x:0:\n' >"$TREE/etc/group"
	printf '127.0.0.1 localhost keel\n::1 localhost\n' >"$TREE/etc/hosts"
	# Written by the DHCP service (services/net), which owns /run/resolv.
	ln -s ../run/resolv/resolv.conf "$TREE/etc/resolv.conf"
}

install_keel() {
	for b in init runc-shim; do
		[ -x "$BIN/$b" ] || die "$BIN/$b: not built (run make)"
	done
	cp "$BIN/init" "$TREE/sbin/init"
	cp "$BIN/runc-shim" "$TREE/sbin/runc-shim"
	ln -s init "$TREE/sbin/keelctl"
	ln -s sbin/init "$TREE/init"
}

# busybox and its applets for the debug shell; init and the power applets
# that would shadow keel's own are left out (busybox's poweroff/reboot just
# signal PID 1, which keel handles like busybox init, so those stay).
install_busybox() {
	[ -x "$BUSYBOX" ] || die "$BUSYBOX: not found (apt-get install busybox-static)"
	cp "$BUSYBOX" "$TREE/bin/busybox"
	for a in $("$TREE/bin/busybox" --list); do
		case $a in init | linuxrc | busybox) continue ;; esac
		[ -e "$TREE/bin/$a" ] || ln -s busybox "$TREE/bin/$a"
	done
}

install_modules() {
	"$ROOT/rootfs/modules.sh" "$KVER" "$TREE" $MODULES >"$TREE/etc/keel/modules"
}

# Kernel settings PID 1 applies before any service (docs/image.md).
install_sysctl() {
	cp "$ROOT/rootfs/sysctl.conf" "$TREE/etc/keel/sysctl.conf"
}

install_services() {
	"$ROOT/rootfs/mke2fs.sh" "$ROOT/build/tools/mke2fs"
	python3 "$ROOT/rootfs/mkoci.py" --busybox "$BUSYBOX" "$OUT/busybox.oci.tar"
	rm -rf "$SYSTEM" "$OUT"/*.sqfs
	rc=0
	python3 "$ROOT/services/build.py" --out "$TREE/containers" --root "$TREE" \
		--shim "$BIN/runc-shim" --busybox "$TREE/bin/busybox" \
		--mke2fs "$ROOT/build/tools/mke2fs" --system "$SYSTEM" \
		--oci "$OUT/busybox.oci.tar" || rc=$?
	# 3: runc-shim has no `spec` yet; the image still boots, without services.
	if [ $rc = 3 ]; then
		echo "image: WARNING: no service bundles (runc-shim spec unavailable)" >&2
		rm -rf "$TREE/containers" "$SYSTEM" && mkdir "$TREE/containers"
		: >"$TREE/etc/keel/mounts"
	elif [ $rc != 0 ]; then
		exit $rc
	fi
}

# Sorted names and fixed owner make the archive depend only on its content;
# hard links (shared busybox, libraries) are stored once.
pack() {
	find "$TREE" -exec touch -h -d @0 {} +
	(cd "$TREE" && find . | LC_ALL=C sort |
		cpio -o -H newc --owner 0:0 --reproducible --quiet) >"$OUT/initramfs.cpio"
	gzip -9 -n -c "$OUT/initramfs.cpio" >"$OUT/initramfs.cpio.gz.tmp"
	mv "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
}

# Services with `image =` in service.conf: their rootfs, filled by build.py
# in $SYSTEM/NAME, becomes build/image/NAME.sqfs (docs/image.md#system-images).
pack_system_images() {
	[ -d "$SYSTEM" ] || return 0
	for d in "$SYSTEM"/*/; do
		[ -d "$d" ] || continue
		name=$(basename "$d")
		"$ROOT/rootfs/mksquash.sh" "$d" "$OUT/$name.sqfs"
		echo "image: $OUT/$name.sqfs ($(wc -c <"$OUT/$name.sqfs") bytes)"
	done
}

install_kernel() {
	k=/boot/vmlinuz-$KVER
	[ -r "$k" ] || die "$k: not readable (root needed for Debian's 0600 kernel)"
	cp "$k" "$OUT/vmlinuz"
	chmod 0644 "$OUT/vmlinuz"
}

KVER=$(kernel_version)
[ -n "$KVER" ] || die "linux-image-cloud-amd64: not installed (make deps)"
mkdir -p "$OUT"
make_skeleton
install_keel
install_busybox
install_modules
install_sysctl
install_services
pack
pack_system_images
install_kernel
echo "image: $OUT/vmlinuz ($KVER) + initramfs.cpio.gz" \
	"($(wc -c <"$OUT/initramfs.cpio.gz") bytes, $(wc -c <"$OUT/initramfs.cpio") uncompressed)"
