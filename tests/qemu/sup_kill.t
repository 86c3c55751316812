#!/bin/sh
# Supervisor, QEMU tier: a service that double-forks and setsid()s is fully
# gone after `keelctl stop` (cgroup.kill of its cgroup v2), and its output is
# in `keelctl logs`. The service shares the machine's pid namespace (so its
# daemons are not killed by a pid namespace ending) and is added to the
# image as one more initramfs archive, with the init under test.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
vm_need_image
[ "$VM_TIMEOUT" -ge 120 ] || VM_TIMEOUT=120 # other services may crash-loop before "ready"

X=$VM/extra
B=$X/containers/services/forker
mkdir -p "$X/sbin" "$B/rootfs/bin" "$B/rootfs/proc" "$B/rootfs/dev" "$B/rootfs/sys" "$B/rootfs/tmp" "$VM/img"
cp "$BIN/init" "$X/sbin/init"
cp "$(command -v busybox)" "$B/rootfs/bin/busybox"
ln -s busybox "$B/rootfs/bin/sh"
ln -s busybox "$B/rootfs/bin/sleep"
ln -s busybox "$B/rootfs/bin/setsid"
cat >"$B/rootfs/run.sh" <<'SH'
setsid sh -c 'sleep 4242 & exec sleep 4243' &
sh -c '(sleep 4244 &)'
echo forker: daemons started
exec sleep 4245
SH
printf 'stop-timeout = 2\n' >"$B/service.conf"
if ! (cd "$B" && "$BIN/runc-shim" spec --rootless) >/dev/null 2>&1; then
	not_ok "runc-shim spec --rootless"
	t_done
fi
python3 - "$B/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["/bin/sh", "/run.sh"]
c["process"]["env"] = ["PATH=/bin"]
# The machine's pid and user namespaces: only the cgroup holds the daemons
# now (without a user namespace, proc can still be mounted; the process has
# no capabilities and no_new_privs from the spec).
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] not in ("pid", "user")]
c["linux"].pop("uidMappings", None)
c["linux"].pop("gidMappings", None)
# The cloud kernel has no /sys/firmware; runc-shim (unlike runc) fails on
# a missing masked path at the time of writing.
c["linux"]["maskedPaths"] = [p for p in c["linux"].get("maskedPaths", []) if p != "/sys/firmware"]
json.dump(c, open(sys.argv[1], "w"))
PY
(cd "$X" && find . | LC_ALL=C sort | cpio -o -H newc --owner 0:0 --quiet) | gzip -1 >"$VM/extra.cpio.gz"
cat "$KEEL_ROOT/build/image/initramfs.cpio.gz" "$VM/extra.cpio.gz" >"$VM/img/initramfs.cpio.gz"
ln -s "$KEEL_ROOT/build/image/vmlinuz" "$VM/img/vmlinuz"

vm_boot kill --image "$VM/img" \
	--cmd 'keelctl status forker' \
	--cmd 'ps | awk "/[s]leep 424/ { n++ } END { print n + 0 }"' \
	--cmd 'cat /proc/$(ps | awk "/[s]leep 4242/ { print \$1 }")/cgroup' \
	--cmd 'keelctl stop forker; sleep 3; keelctl status --json forker' \
	--cmd 'ps | awk "/[s]leep 424/ { n++ } END { print n + 0 }"' \
	--cmd 'keelctl logs forker' \
	--end poweroff
rc=$?
[ $rc = 0 ] || vm_diag kill
check_match "forker is ready" 'forker +service +ready' "$(vm_out kill 1)"
check_eq "container init + 3 daemons (setsid, double fork) run" 4 "$(vm_out kill 2 | tr -d ' ')"
check_match "the setsid daemon is in the service's cgroup v2" '^0::/.+' "$(vm_out kill 3)"
check_match "stop: forker is down" '"state":"down"' "$(vm_out kill 4)"
check_eq "after stop nothing of forker is left (cgroup.kill)" 0 "$(vm_out kill 5 | tr -d ' ')"
check_match "its output was captured" 'forker: daemons started' "$(vm_out kill 6)"
check_eq "VM powered off cleanly" poweroff "$(vm_fate kill)"
t_done
