#!/bin/sh
# The image as built (no boot): what the initramfs holds and who owns it, the
# module files init will load, one bundle per services/ folder with shared
# busybox, and the size goal (initramfs <= 2 MiB compressed, kernel apart).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
vm_need_image
IMG=$KEEL_ROOT/build/image

list=$(gzip -dc "$IMG/initramfs.cpio.gz" | cpio -itv --quiet 2>/dev/null)
names=$(gzip -dc "$IMG/initramfs.cpio.gz" | cpio -it --quiet 2>/dev/null)
for f in init sbin/init sbin/keelctl sbin/runc-shim bin/busybox bin/sh etc/keel/modules \
	etc/passwd containers/onboot containers/services; do
	check_match "initramfs holds /$f" "^$f\$" "$names"
done
check_match "/init leads to /sbin/init" '^l.* init -> sbin/init$' "$list"
not_root=$(printf '%s\n' "$list" | awk '$3 != "root" || $4 != "root"' | head -n3)
check_eq "every entry is owned by root:root (packed without root)" "" "$not_root"
check_match "the kernel is a bzImage" 'Linux kernel x86 boot executable' "$(file "$IMG/vmlinuz")"

mods=$(gzip -dc "$IMG/initramfs.cpio.gz" | cpio -i --quiet --to-stdout etc/keel/modules)
for m in $mods; do
	case $m in
	/lib/modules/*.ko) check_match "module $m is in the image" "^${m#/}\$" "$names" ;;
	*) not_ok "module list entry $m is an absolute plain .ko path" ;;
	esac
done

# One bundle per services/NAME, at onboot/NN-NAME or services/NAME; the
# rootfs of a service with `image =` is in build/image/NAME.sqfs instead
# (tests/qemu/sysimage.t).
in_initramfs=0
for sb in "$KEEL_ROOT"/services/*/sandbox; do
	name=$(basename "$(dirname "$sb")")
	nn=$(sed -n 's/^onboot *= *\([0-9]*\).*/\1/p' "$sb")
	dir=containers/services/$name
	[ -n "$nn" ] && dir=containers/onboot/$nn-$name
	ok_all=yes
	if grep -q '^image *=' "$sb"; then
		printf '%s\n' "$names" | grep -qx "$dir/config.json" || ok_all="missing $dir/config.json"
		! printf '%s\n' "$names" | grep -q "^$dir/rootfs/" || ok_all="$dir/rootfs in the initramfs"
		check_eq "bundle $dir has config.json, its rootfs is a system image" yes "$ok_all"
	else
		in_initramfs=$((in_initramfs + 1))
		for f in config.json rootfs/bin/busybox; do
			printf '%s\n' "$names" | grep -qx "$dir/$f" || ok_all="missing $dir/$f"
		done
		check_eq "bundle $dir has config.json and a rootfs" yes "$ok_all"
	fi
	gzip -dc "$IMG/initramfs.cpio.gz" | (cd "$VM" && cpio -id --quiet "$dir/config.json")
	check "bundle $dir config.json is valid JSON" python3 -m json.tool "$VM/$dir/config.json" /dev/null
done
# services/build.py is strict: a bad value names the file and line.
mkdir -p "$VM/bad"
printf 'args = sh\nnet = hots   # typo\n' >"$VM/bad/sandbox"
msg=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import build
try: build.parse_sandbox(sys.argv[2])
except build.BadService as e: print(e)' "$KEEL_ROOT/services" "$VM/bad/sandbox")
check_match "a bad sandbox value fails the build naming file:line" 'bad/sandbox:2: net: bad value' "$msg"

links=$(printf '%s\n' "$list" | awk '$NF == "bin/busybox" { print $2 }')
check "busybox is stored once, hard-linked into $in_initramfs bundles (links: $links)" \
	test "${links:-0}" -ge $((in_initramfs + 1))

size=$(wc -c <"$IMG/initramfs.cpio.gz")
"$KEEL_ROOT/tests/bench/image.sh" --sizes | sed 's/^/# /' 
check "image without kernel <= 2 MiB compressed ($size bytes)" test "$size" -le 2097152
t_done
