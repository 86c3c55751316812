#!/bin/sh
# Mount options are honoured or refused, never dropped: rro/rnosuid/rnodev/
# rnoexec reach every mount of an rbind (mount_setattr AT_RECURSIVE),
# nosymfollow is applied, idmap is refused; a mount's own propagation
# (rslave) survives the root's; flags are set with the new mount API on the
# detached copy before it is attached.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ns/shim_lib.sh"
shim_require

S=$SHIM_T/src
mkdir -p "$S/sub" "$S/later"
# $S: a shared mount (so that rslave has a master), a tmpfs below it.
mount --bind "$S" "$S" && mount --make-shared "$S" &&
	mount -t tmpfs -o mode=1777 keel-test "$S/sub" || { not_ok "mounts for the test"; t_done; }
trap 'umount -R "$S" 2>/dev/null; shim_cleanup' EXIT
trap 'exit 1' INT TERM
mkdir -m 1777 "$S/sub/d" && echo hi >"$S/sub/d/f" && ln -s d "$S/sub/link"
B=$SHIM_T/b
make_bundle "$B"
ln -sf busybox "$B/rootfs/bin/touch"
mkdir "$B/rootfs/m" "$B/rootfs/n"

# mnt OPTIONS: runs the script in $SCRIPT with $S rbound on /m with OPTIONS.
mnt() {
	cfg "$B" 'c["mounts"].append({"destination": "/m", "type": "bind", "source": "'"$S"'", "options": '"$1"'})
c["process"]["args"] = ["sh", "-c", """'"$SCRIPT"'"""]'
	out=$(timeout 20 "$BIN/runc-shim" --root "$SHIM_ROOT" run --bundle "$B" "m$2" </dev/null 2>&1)
	cfg "$B" 'c["mounts"].pop()'
}

SCRIPT='touch /m/sub/x && echo wrote; grep " /m/sub " /proc/self/mountinfo; cat /m/sub/link/f'
mnt '["rbind", "ro"]' 1
check_match "control: ro on an rbind leaves the submount writable" '^wrote$' "$out"
mnt '["rbind", "rro"]' 2
check_eq "rro: the submount is read-only too" "hi" "$(printf '%s\n' "$out" | grep -E '^(wrote|hi)$')"
check_match "rro: ...EROFS" 'Read-only file system' "$out"
mnt '["rbind", "rnosuid", "rnodev", "rnoexec"]' 3
check_match "rnosuid,rnodev,rnoexec: on the submount" ' /m/sub [^ ]*nosuid,nodev,noexec' "$out"
mnt '["rbind", "nosymfollow"]' 4
check_match "control: without rnosymfollow the submount follows symlinks" '^hi$' "$out"
mnt '["rbind", "rnosymfollow"]' 5
check_match "rnosymfollow: a symlink on the submount is not followed" "link/f'?: (Too many|Symbolic link loop)" "$out"
SCRIPT='cat /m/sub/link/f'
cfg "$B" 'c["mounts"].append({"destination": "/n", "type": "bind", "source": "'"$S/sub"'", "options": ["bind", "nosymfollow"]})'
mnt '["rbind"]' 6
cfg "$B" 'c["mounts"].pop()'
check_match "control: the same file through a mount without nosymfollow" '^hi$' "$out"
SCRIPT='cat /n/link/f'
cfg "$B" 'c["mounts"].append({"destination": "/n", "type": "bind", "source": "'"$S/sub"'", "options": ["bind", "nosymfollow"]})'
mnt '["rbind"]' 7
cfg "$B" 'c["mounts"].pop()'
check_match "nosymfollow: the symlink is not followed" "link/f'?: (Too many|Symbolic link loop)" "$out"

mnt '["rbind", "idmap"]' 8
check_match "idmap: refused, not dropped" 'idmap.*not supported' "$out"
mnt '["rbind", "ridmap"]' 9
check_match "ridmap: refused, not dropped" 'ridmap.*not supported' "$out"

# Propagation: rslave keeps receiving the host's new mounts; a bind without
# propagation stays private like the rest of the root.
cfg "$B" 'c["mounts"].append({"destination": "/m", "type": "bind", "source": "'"$S"'", "options": ["rbind", "rslave"]})
c["process"]["args"] = ["sh", "-c", "grep \" /m \" /proc/self/mountinfo; while [ ! -e /m/later/mark ]; do sleep 0.1; done; echo propagated"]'
shim run -d --bundle "$B" prop >/dev/null 2>&1
sleep 0.5
mount -t tmpfs keel-later "$S/later" && touch "$S/later/mark"
for _ in $(seq 30); do shim state prop 2>/dev/null | grep -q '"stopped"' && break; sleep 0.1; done
check_match "rslave: the host's later mount reaches the container" '"stopped"' "$(shim state prop 2>&1)"
shim delete --force prop
umount "$S/later"
cfg "$B" 'c["mounts"].pop()'
SCRIPT='grep " /m " /proc/self/mountinfo'
mnt '["rbind", "rslave"]' 10
check_match "rslave: the mount is a slave (master:N)" ' master:' "$out"
mnt '["rbind"]' 11
check_match "control: the mount is there" ' /m ' "$out"
check_eq "no propagation given: private (neither shared nor master)" "" \
	"$(printf '%s\n' "$out" | grep -E 'shared:|master:')"
check_eq "nothing left" "" "$(ls "$SHIM_ROOT")"
t_done
