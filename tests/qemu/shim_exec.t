#!/bin/sh
# runc-shim exec, QEMU tier (the host has no usable cgroup v2): the exec'd
# process joins the container's cgroup (its cgroup.procs lists it, and it
# sees its cgroup namespace's root as /), and `delete --force` takes it down
# with the init and removes the cgroup. The current build/bin/runc-shim and
# a busybox bundle ride in one more initramfs archive.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
vm_need_image
[ "$VM_TIMEOUT" -ge 120 ] || VM_TIMEOUT=120

vm_shim_bundle sh cat sleep
B=$SHIM_B
python3 - "$B/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["env"] = ["PATH=/bin"]
c["process"]["args"] = ["sleep", "600"]
c["linux"]["cgroupsPath"] = "/shimtest/ex"
json.dump(c, open(sys.argv[1], "w"))
PY
vm_extra_image

S='/shimtest/runc-shim --root /run/shimtest'
G=/sys/fs/cgroup/shimtest/ex
vm_boot ex --image "$VM/img" \
	--cmd "cd /shimtest/b && $S create --pid-file /run/ex.pid ex && $S start ex && $S exec ex cat /proc/self/cgroup" \
	--cmd "$S exec -d --pid-file /run/e1.pid ex sleep 300 </dev/null >/dev/null 2>&1; echo rc=\$?; cat /run/ex.pid; echo; cat /run/e1.pid; echo; cat $G/cgroup.procs" \
	--cmd "$S delete --force ex; echo rc=\$?; ls -d $G 2>&1 | head -1; kill -0 \$(cat /run/e1.pid) 2>/dev/null && echo alive || echo gone" \
	--end poweroff
rc=$?
[ $rc = 0 ] || vm_diag ex
check_eq "exec'd process: its cgroup namespace's root" "0::/" "$(vm_out ex 1)"
out=$(vm_out ex 2)
init=$(printf '%s\n' "$out" | sed -n 2p)
e1=$(printf '%s\n' "$out" | sed -n 3p)
check_eq "exec --detach exits 0" rc=0 "$(printf '%s\n' "$out" | sed -n 1p)"
check_eq "the container's cgroup.procs: its init and the exec'd process" \
	"$(printf '%s\n%s\n' "$init" "$e1" | sort -n)" "$(printf '%s\n' "$out" | sed -n '4,$p' | sort -n)"
out=$(vm_out ex 3)
check_eq "delete --force: exits 0" rc=0 "$(printf '%s\n' "$out" | sed -n 1p)"
check_match "delete --force: the cgroup is gone" 'No such file' "$(printf '%s\n' "$out" | sed -n 2p)"
check_eq "delete --force: the exec'd process is gone" gone "$(printf '%s\n' "$out" | sed -n 3p)"
check_eq "VM powered off cleanly" poweroff "$(vm_fate ex)"
t_done
