#!/bin/sh
# Boot benchmark (make bench-boot, docs/bench.md): keel's image against a
# LinuxKit-style image (busybox init, an rc script, Debian's runc) built from
# the same kernel, modules and bundles; N boots each (default 5), alternately.
# Usage: tests/bench/boot.sh [N]   (needs make image; builds the comparison)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[ -r "$ROOT/build/image/initramfs.cpio.gz" ] || { echo "bench boot: no build/image (make image)"; exit 1; }
sh "$ROOT/rootfs/linuxkit-style/mkimage.sh"
exec python3 "$ROOT/tests/bench/boot.py" "${1:-${BENCH_BOOTS:-5}}"
