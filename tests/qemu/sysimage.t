#!/bin/sh
# System images as built (no boot; docs/image.md#system-images): a fixture
# service with `image =` goes through services/build.py and rootfs/mksquash.sh
# (root.path/readonly, rootfs outside the initramfs, mount points and ELF
# libraries inside the squashfs, reproducible); then the real image: the
# initramfs stays <= 2 MiB with squashfs.ko in its module list, and
# build/image/containerd.sqfs holds containerd's payload and no runc/v1 shims.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
vm_need_image
IMG=$KEEL_ROOT/build/image
for t in mksquashfs unsquashfs; do
	command -v $t >/dev/null || { not_ok "$t installed (mk/deps.sh: squashfs-tools)"; t_done; }
done
[ -x "$BIN/runc-shim" ] || { skip "system images" "build/bin/runc-shim not built"; exit 0; }

magic() { head -c 4 "$1"; }

# --- the fixture: one service, its rootfs as a system image ---------------
F=$VM/fx
mkdir -p "$F/svc/big/files/etc" "$F/root/etc/keel"
echo "127.0.0.1 localhost" >"$F/root/etc/hosts"
echo "from files/" >"$F/svc/big/files/etc/big.conf"
cat >"$F/svc/big/sandbox" <<'EOF'
args = /usr/bin/env
image = serial:keel-big /system/big
bin = /usr/bin/env /usr/bin/env
bin = @runc-shim /usr/bin/runc
bin = @busybox.oci.tar /usr/share/keel/images/busybox.oci.tar
bind = /etc/hosts /etc/hosts ro
tmpfs = /run/big
state = /var/lib/big
EOF
python3 "$KEEL_ROOT/rootfs/mkoci.py" "$F/oci.tar"
build() { # OUTDIR
	python3 "$KEEL_ROOT/services/build.py" --services "$F/svc" --out "$1/containers" \
		--root "$F/root" --shim "$BIN/runc-shim" --busybox "$(command -v busybox)" \
		--mke2fs /bin/true --system "$1/system" --oci "$F/oci.tar"
}
check "build.py builds a service with image =" build "$F/a"
B=$F/a/containers/services/big
S=$F/a/system/big
check_eq "config.json root: the mount point, read-only" '{"path": "/system/big", "readonly": true}' \
	"$(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["root"], sort_keys=True))' "$B/config.json")"
check "its rootfs is not in the bundle (the initramfs): rootfs is a symlink" test -L "$B/rootfs"
check_eq "bundle/rootfs leads to the mount point (init checks a rootfs/ exists)" /system/big "$(readlink "$B/rootfs")"
check "the mount point is made in the initramfs tree" test -d "$F/root/system/big"
interp=$(file -L /usr/bin/env | sed -n 's/.*interpreter \([^,]*\),.*/\1/p')
for f in usr/bin/env "${interp#/}" $(ldd /usr/bin/env | awk '$3 ~ /^\// { print substr($3, 2) }') \
	usr/bin/runc usr/share/keel/images/busybox.oci.tar etc/big.conf bin/busybox; do
	check "system rootfs holds /$f" test -s "$S/$f"
done
check "/usr/bin/runc is keel's runc-shim" cmp -s "$BIN/runc-shim" "$S/usr/bin/runc"
missing=$(python3 - "$B/config.json" "$S" <<'PY'
import json, os, sys
spec = json.load(open(sys.argv[1]))
for m in spec["mounts"]:
    p = os.path.join(sys.argv[2], m["destination"].lstrip("/"))
    if not os.path.lexists(p):
        print(m["destination"])
PY
)
check_eq "every mount point of config.json exists in the read-only rootfs" "" "$missing"
check "a file bind's mount point is a file" test -f "$S/etc/hosts"
"$KEEL_ROOT/rootfs/mksquash.sh" "$S" "$F/a.sqfs"
check_eq "mksquash.sh writes a squashfs (magic hsqs)" hsqs "$(magic "$F/a.sqfs")"
check "build.py again, into another dir" build "$F/b"
touch -d @12345 "$F/b/system/big/etc/big.conf"
"$KEEL_ROOT/rootfs/mksquash.sh" "$F/b/system/big" "$F/b.sqfs"
check "the squashfs is reproducible (same bytes from a second build, other mtimes)" cmp -s "$F/a.sqfs" "$F/b.sqfs"
lls=$(unsquashfs -lls "$F/a.sqfs")
check_match "unsquashfs lists /usr/bin/env" ' squashfs-root/usr/bin/env$' "$lls"
check_eq "every entry is owned by root:root" "" "$(printf '%s\n' "$lls" | awk '$2 != "root/root"' | head -n3)"

sed -i 's/keel-big/keel-other/' "$F/svc/big/sandbox"
msg=$(build "$F/c" 2>&1)
check_match "a serial that is not keel-NAME fails the build, named" 'big: image: serial:keel-other: want serial:keel-big' "$msg"

# --- the real image ---------------------------------------------------------
size=$(wc -c <"$IMG/initramfs.cpio.gz")
check "base initramfs <= 2 MiB (2,097,152 B) compressed: $size B" test "$size" -le 2097152
mods=$(gzip -dc "$IMG/initramfs.cpio.gz" | cpio -i --quiet --to-stdout etc/keel/modules)
check_match "squashfs.ko is in the initramfs module list" '/squashfs\.ko$' "$mods"

if ! grep -q '^image *=' "$KEEL_ROOT/services/containerd/sandbox" 2>/dev/null; then
	skip "containerd.sqfs" "services/containerd has no image = line in this tree"
	t_done
fi
Q=$IMG/containerd.sqfs
check "build/image/containerd.sqfs exists ($(wc -c <"$Q" 2>/dev/null) B)" test -s "$Q"
check_eq "containerd.sqfs is a squashfs (magic hsqs)" hsqs "$(magic "$Q")"
ls=$(unsquashfs -lls "$Q" | awk '{ print $6 }' | sed 's|^squashfs-root||')
for f in /usr/bin/containerd /usr/bin/containerd-shim-runc-v2 /usr/bin/ctr \
	/usr/share/keel/images/busybox.oci.tar /lib64/ld-linux-x86-64.so.2 \
	/lib/x86_64-linux-gnu/libc.so.6 /etc/containerd/config.toml /usr/bin/runc; do
	check_match "containerd.sqfs holds $f" "^$f\$" "$ls"
done
for f in containerd-shim containerd-shim-runc-v1; do
	check_eq "containerd.sqfs holds no $f" "" "$(printf '%s\n' "$ls" | grep "/$f\$")"
done
runc_size=$(unsquashfs -lls "$Q" | awk '$6 == "squashfs-root/usr/bin/runc" { print $3 }')
debian_runc=$(wc -c <"$(command -v runc)" 2>/dev/null || echo none)
check "its /usr/bin/runc is not Debian's runc ($runc_size B: runc-shim or a bind mount point)" \
	test "$runc_size" != "$debian_runc"
t_done
