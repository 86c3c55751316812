#!/bin/sh
# linux.resources.devices is enforced by a BPF_CGROUP_DEVICE program: a
# container in the host's user namespace (container root = host root, with
# CAP_MKNOD) allowed only the default devices cannot open another device,
# whether it makes the node itself or gets the host's bind-mounted. Controls
# show the same opens work when the rules allow them, so the test can fail.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ns/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
for a in mknod head; do ln -sf busybox "$B/rootfs/bin/$a"; done
# No user namespace, root with CAP_MKNOD (as the OCI suite's default bundle).
cfg "$B" '
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "user"]
for k in ("uidMappings", "gidMappings"): c["linux"].pop(k, None)
c["process"]["capabilities"] = {k: ["CAP_MKNOD", "CAP_DAC_OVERRIDE"] for k in ("bounding", "effective", "permitted")}
c["mounts"].append({"destination": "/dev/kmsg", "type": "bind", "source": "/dev/kmsg", "options": ["bind"]})
c["linux"]["resources"] = {"devices": [{"allow": False, "access": "rwm"},
	{"allow": True, "type": "c", "major": 1, "minor": 3, "access": "rw"}]}
c["process"]["args"] = ["sh", "-c", "mknod /dev/made c 1 11 && echo made;"
	"true >/dev/made && echo made-opened;"
	"true >/dev/kmsg && echo kmsg-opened;"
	"echo x >/dev/null && echo null-ok;"
	"mknod /dev/sda b 8 0 && head -c1 /dev/sda >/dev/null && echo sda-opened; true"]'
out=$(shim run --bundle "$B" dev1 2>&1)
check_match "mknod of a denied device itself still works (as runc: m on all)" '^made$' "$out"
check_eq "a denied char device made by container root cannot be opened" "" \
	"$(printf '%s\n' "$out" | grep made-opened)"
check_match "...it gets EPERM" '/dev/made: Operation not permitted' "$out"
check_eq "a denied host device bind-mounted in cannot be opened" "" \
	"$(printf '%s\n' "$out" | grep kmsg-opened)"
check_eq "a denied block device cannot be opened" "" "$(printf '%s\n' "$out" | grep sda-opened)"
check_match "the allowed /dev/null still works" '^null-ok$' "$out"

# Control: an allow-all rule last lets the same opens through.
cfg "$B" 'c["linux"]["resources"]["devices"].append({"allow": True, "access": "rwm"})'
out=$(shim run --bundle "$B" dev2 2>&1)
check_match "control: with an allow-all rule last, the char device opens" '^made-opened$' "$out"
check_match "control: ...and the bound host device" '^kmsg-opened$' "$out"

# Rules are last-match-wins: a deny after the allow-all denies again.
cfg "$B" 'c["linux"]["resources"]["devices"].append({"allow": False, "type": "c", "major": 1, "minor": 11, "access": "w"})'
out=$(shim run --bundle "$B" dev3 2>&1)
check_eq "a later deny of c 1:11 w wins over the allow-all" "" "$(printf '%s\n' "$out" | grep made-opened)"
check_match "...while /dev/null (c 1:3) stays allowed" '^null-ok$' "$out"

# No cgroup v2 to attach to: refused without a user namespace, not ignored.
cfg "$B" 'c["linux"]["resources"]["devices"] = [{"allow": False, "access": "rwm"}]'
out=$(unshare -m sh -c "mount -t tmpfs none /sys/fs/cgroup && \
	'$BIN/runc-shim' --root '$SHIM_ROOT' run --bundle '$B' dev4" 2>&1)
check_match "no cgroup v2: device rules without a user namespace are refused" \
	'linux.resources.devices: unable to enforce' "$out"
check_eq "...and nothing is left behind" "" "$(ls "$SHIM_ROOT")"

# Nodes made by runc-shim get their mode (0666 by default) whatever the
# umask of the caller.
cfg "$B" 'c["linux"]["resources"]["devices"] = []
c["linux"]["devices"] = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229}]
c["process"]["args"] = ["sh", "-c", "ls -l /dev/null /dev/zero /dev/fuse"]'
out=$(umask 077; shim run --bundle "$B" mode1 2>&1)
check_eq "umask 077: /dev/null, /dev/zero, linux.devices nodes are crw-rw-rw-" 3 \
	"$(printf '%s\n' "$out" | grep -c '^crw-rw-rw-')"

# With a user namespace the rules are enforced too where a cgroup exists.
make_bundle "$B.u"
cfg "$B.u" '
c["mounts"].append({"destination": "/dev/kmsg", "type": "bind", "source": "/dev/kmsg", "options": ["bind"]})
c["linux"]["resources"] = {"devices": [{"allow": False, "access": "rwm"}]}
c["process"]["args"] = ["sh", "-c", "true >/dev/kmsg && echo kmsg-opened; echo x >/dev/null && echo null-ok"]'
out=$(shim run --bundle "$B.u" dev5 2>&1)
check_match "user namespace: /dev/null allowed" '^null-ok$' "$out"
check_eq "user namespace: a denied bound device cannot be opened" "" \
	"$(printf '%s\n' "$out" | grep kmsg-opened)"
t_done
