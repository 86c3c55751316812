#!/bin/sh
# The "tmpcopyup" mount option (runc's; Podman sends it with --read-only):
# the tmpfs starts with a copy of the directory it covers (files, dirs,
# symlinks, modes and owners), writable, and the image is not changed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
mkdir -p "$B/rootfs/var/cache/sub"
echo hello >"$B/rootfs/var/cache/sub/f"
chmod 604 "$B/rootfs/var/cache/sub/f"
chown 100007:100008 "$B/rootfs/var/cache/sub/f" # container 7:8
ln -s sub/f "$B/rootfs/var/cache/link"
cfg "$B" 'c["mounts"].append({"destination": "/var/cache", "type": "tmpfs", "source": "tmpfs", "options": ["rw", "nosuid", "nodev", "tmpcopyup"]})
c["process"]["args"] = ["sh", "-c", "cat /var/cache/link; stat -c \"%a %u:%g\" /var/cache/sub/f; echo new > /var/cache/g && echo writable; grep \" /var/cache \" /proc/mounts | cut -d\" \" -f3"]'
out=$(cd "$B" && shim run cu 2>/dev/null)
check_eq "run exits 0" 0 "$?"
check_eq "content copied (through the symlink)" hello "$(printf '%s\n' "$out" | sed -n 1p)"
check_eq "mode and owner kept" "604 7:8" "$(printf '%s\n' "$out" | sed -n 2p)"
check_eq "the copy is writable" writable "$(printf '%s\n' "$out" | sed -n 3p)"
check_eq "it is a tmpfs" tmpfs "$(printf '%s\n' "$out" | sed -n 4p)"
check "the image is unchanged" test ! -e "$B/rootfs/var/cache/g"
t_done
