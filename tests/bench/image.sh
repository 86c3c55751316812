#!/bin/sh
# Image benchmark: boot time to "keel: ready" (all services, data disk and
# NIC attached) as the median of N TCG boots, and the image sizes: initramfs
# compressed/uncompressed, the part outside /containers, and each bundle.
# Usage: tests/bench/image.sh [N]   (default 5 boots; needs make image)
#        tests/bench/image.sh --sizes   (sizes only, no boot)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
IMG=$ROOT/build/image
N=${1:-5}
[ -r "$IMG/initramfs.cpio.gz" ] || { echo "bench image: no build/image (make image)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# gz BYTES of a list of files given on stdin, packed like the image.
packed() { (cd "$IMG/root" && cpio -o -H newc --owner 0:0 --quiet | gzip -9 -n | wc -c); }

echo "# image sizes (bytes)"
printf '%-28s %12s %12s\n' part uncompressed compressed
printf '%-28s %12s %12s\n' initramfs "$(wc -c <"$IMG/initramfs.cpio")" "$(wc -c <"$IMG/initramfs.cpio.gz")"
base=$(cd "$IMG/root" && find . ! -path './containers/*' ! -type d)
printf '%-28s %12s %12s\n' "base (init, busybox, modules)" \
	"$(cd "$IMG/root" && printf '%s\n' $base | xargs du -cb --apparent-size | tail -n1 | cut -f1)" \
	"$(printf '%s\n' $base | packed)"
bb=$(stat -c %i "$IMG/root/bin/busybox")
for b in "$IMG"/root/containers/*/*/; do
	[ -d "$b" ] || continue
	rel=${b#"$IMG/root/"}
	# Hard links to the image's busybox cost nothing: counted in base.
	files=$(cd "$IMG/root" && find "$rel" -type f ! -inum "$bb"; cd "$IMG/root" && find "$rel" ! -type f ! -type d)
	u=$(cd "$IMG/root" && find "$rel" -type f ! -inum "$bb" -exec cat {} + | wc -c)
	printf '%-28s %12s %12s\n' "${rel%/}" "$u" "$(printf '%s\n' $files | packed)"
done
printf '%-28s %12s\n' "kernel (not counted)" "$(wc -c <"$IMG/vmlinuz")"

[ "$N" = --sizes ] && exit 0
echo "# boot to 'keel: ready' with all services, $N TCG boots"
python3 "$ROOT/rootfs/keelvm.py" batch --disk "$tmp/data.img" --timeout 120 --end none \
	--out "$tmp/first" >/dev/null 2>&1   # formats the data disk: not timed
i=0
while [ $i -lt "$N" ]; do
	i=$((i + 1))
	python3 "$ROOT/rootfs/keelvm.py" batch --disk "$tmp/data.img" --timeout 120 \
		--out "$tmp/b$i" >/dev/null 2>&1 || { echo "boot $i: $(cat "$tmp/b$i/fate" 2>/dev/null)"; continue; }
	echo "boot $i: keel ready in $(cat "$tmp/b$i/ready_ms") ms (guest clock), $(cat "$tmp/b$i/boot_s") s from QEMU start"
done
ms=$(cat "$tmp"/b*/ready_ms 2>/dev/null | median)
s=$(cat "$tmp"/b*/boot_s 2>/dev/null | median)
echo "median: keel: ready in ${ms:-?} ms (guest), ${s:-?} s wall from QEMU start"
