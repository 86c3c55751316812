#!/bin/sh
# Usage: rootfs/linuxkit-style/mkimage.sh   (run by make bench-boot)
# The comparison image of make bench-boot (docs/bench.md), booted the way
# LinuxKit boots: /init copies the initramfs to a tmpfs, busybox init runs
# an rc script, Debian's runc runs the bundles. Built from keel's own image
# tree (build/image/root: same kernel, modules, busybox, bundles, /etc/keel),
# read generically, so it follows whatever services the image has. keel's
# init, runc-shim and keelctl are left out. Output: build/linuxkit-style/.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/rootfs/linuxkit-style
SRC=$ROOT/build/image
OUT=$ROOT/build/linuxkit-style
TREE=$OUT/root
RUNC=${KEEL_RUNC:-/usr/sbin/runc}

die() { echo "linuxkit-style: $*" >&2; exit 1; }
[ -d "$SRC/root/containers" ] || die "no $SRC/root (run make image)"
[ -x "$RUNC" ] || die "$RUNC: not found (apt-get install runc)"

rm -rf "$TREE" && mkdir -p "$TREE"
cp -a "$SRC/root/." "$TREE/"
rm -f "$TREE/init" "$TREE/sbin/init" "$TREE/sbin/runc-shim" "$TREE/sbin/keelctl"
# A bundle whose rootfs is a system image (a link to its mount point) is
# left out: this image mounts none; keel's side boots without them too.
for b in "$TREE"/containers/*/*; do
	[ -L "$b/rootfs" ] && rm -rf "$b"
done
ln -s ../bin/busybox "$TREE/sbin/init"
install -m 0755 "$HERE/init.sh" "$TREE/init"
install -m 0755 "$HERE/rc.sh" "$TREE/etc/rc"
install -m 0755 "$HERE/rc.shutdown" "$TREE/etc/rc.shutdown"
install -m 0644 "$HERE/inittab" "$TREE/etc/inittab"

# Debian's runc is dynamic: it goes in with the libraries ldd names.
cp "$RUNC" "$TREE/sbin/runc"
for lib in $(ldd "$RUNC" | grep -o '/[^ ]*'); do
	mkdir -p "$TREE$(dirname "$lib")"
	cp -L "$lib" "$TREE$lib"
done

# Where runc differs from runc-shim on the same config.json. runc enforces a
# device cgroup (default deny) that runc-shim does not yet: a bundle that
# makes or is handed a block device node (CAP_MKNOD, a bind from /dev) is
# allowed block devices, as it is under keel.
python3 - "$TREE/containers" <<'PY'
import glob, json, sys
for path in glob.glob(sys.argv[1] + "/*/*/config.json"):
    c = json.load(open(path))
    caps = c.get("process", {}).get("capabilities", {}).get("bounding", [])
    binds = [m for m in c.get("mounts", []) if m.get("source", "").startswith("/dev/")]
    if "CAP_MKNOD" in caps or binds:
        res = c.setdefault("linux", {}).setdefault("resources", {})
        res.setdefault("devices", []).append({"allow": True, "type": "b", "access": "rwm"})
    # runc mounts a fresh sysfs, which a user namespace may only do in a
    # network namespace it owns; runc's rootless spec binds the host's instead.
    ns = [n["type"] for n in c.get("linux", {}).get("namespaces", [])]
    if "user" in ns and "network" not in ns:
        for m in c.get("mounts", []):
            if m.get("type") == "sysfs":
                m.update(type="none", source="/sys",
                         options=["rbind", "nosuid", "noexec", "nodev", "ro"])
    # The data disk is mounted noexec: a remount of a bind from it that drops
    # the locked flag fails in a user namespace; runc-shim keeps it, runc not.
    for m in c.get("mounts", []):
        if m.get("source", "").startswith("/data/") and "noexec" not in m.get("options", []):
            m["options"] = m.get("options", []) + ["noexec", "nosuid", "nodev"]
    json.dump(c, open(path, "w"), indent=1)
PY

# "KIND NAME NFDS" lines: onboot jobs in lexical order, then services in
# after= order; NFDS covers fds 3..N of "ready = notify-fd N".
python3 - "$TREE/containers" >"$TREE/etc/rc.order" <<'PY'
import os, re, sys
top = sys.argv[1]

def conf(kind, name):
    try:
        text = open(os.path.join(top, kind, name, "service.conf")).read()
    except FileNotFoundError:
        text = ""
    kv = dict(re.findall(r"^\s*([a-z-]+)\s*=\s*([^#\n]*?)\s*(?:#.*)?$", text, re.M))
    m = re.match(r"notify-fd (\d+)$", kv.get("ready", ""))
    return (int(m.group(1)) - 2 if m else 0), kv.get("after", "").split()

def names(kind):
    d = os.path.join(top, kind)
    return sorted(os.listdir(d)) if os.path.isdir(d) else []

for n in names("onboot"):
    print("onboot", n, conf("onboot", n)[0])
done, todo = set(), names("services")
while todo:
    ready = [n for n in todo if set(conf("services", n)[1]) <= done] or todo[:1]
    for n in ready:
        print("services", n, conf("services", n)[0])
        done.add(n)
        todo.remove(n)
PY

find "$TREE" -exec touch -h -d @0 {} +
(cd "$TREE" && find . | LC_ALL=C sort | cpio -o -H newc --owner 0:0 --reproducible --quiet) |
	gzip -9 -n >"$OUT/initramfs.cpio.gz"
ln -sf ../image/vmlinuz "$OUT/vmlinuz"
echo "linuxkit-style: $OUT/initramfs.cpio.gz ($(wc -c <"$OUT/initramfs.cpio.gz") bytes):" \
	"$(tr '\n' ';' <"$TREE/etc/rc.order")"
