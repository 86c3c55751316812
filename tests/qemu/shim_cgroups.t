#!/bin/sh
# runc-shim's cgroup v2 support, QEMU tier (the host has no usable cgroup v2):
# linux.resources become the container's cgroup files, the container sees
# its own cgroup as / (cgroup namespace), the pids and memory limits bite,
# `ps`/`kill --all` work from the cgroup, and `delete` removes it. The
# current build/bin/runc-shim and a probe bundle ride in one more initramfs
# archive (outside /containers, so init does not start it): vm_extra_image.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
vm_need_image
[ "$VM_TIMEOUT" -ge 120 ] || VM_TIMEOUT=120

vm_shim_bundle sh cat sleep seq dd echo
B=$SHIM_B
python3 - "$B/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["env"] = ["PATH=/bin"]
c["process"]["args"] = ["sh", "-c", "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max "
    "/sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpu.weight /proc/self/cgroup; "
    "dd if=/dev/zero of=/dev/shm/fill bs=1M count=96 2>/dev/null; echo dd=$?; rm /dev/shm/fill; "
    # ash gives up on a failed fork: fork in a child shell, then read the
    # count with builtins only (the cgroup is full).
    "sh -c 'for i in $(seq 30); do sleep 30 & done' 2>/dev/null; "
    "read n </sys/fs/cgroup/pids.current; echo forks=$n"]
c["linux"]["resources"] = {"memory": {"limit": 33554432, "swap": 33554432},
    "pids": {"limit": 16}, "cpu": {"shares": 512, "quota": 50000, "period": 100000}}
# Roomier /dev/shm than the limit, so the memory cgroup is what stops dd.
for m in c["mounts"]:
    if m["destination"] == "/dev/shm":
        m["options"] = [o for o in m["options"] if not o.startswith("size=")] + ["size=256m"]
json.dump(c, open(sys.argv[1], "w"))
c["process"]["args"] = ["sleep", "600"]
c["linux"]["cgroupsPath"] = "/shimtest/long"
json.dump(c, open(sys.argv[1].replace("config.json", "long.json"), "w"))
PY
vm_extra_image

S='/shimtest/runc-shim --root /run/shimtest'
vm_boot cg --image "$VM/img" \
	--cmd "cd /shimtest/b && $S run lim; echo rc=\$?" \
	--cmd "ls /sys/fs/cgroup/keel/lim 2>&1 | head -1" \
	--cmd "cd /shimtest/b && cp long.json config.json && $S create --pid-file /run/long.pid long && $S start long && $S ps --format json long; cat /sys/fs/cgroup/shimtest/long/cgroup.procs" \
	--cmd "$S kill --all long KILL; sleep 1; $S state long | grep status; $S delete long; echo rc=\$?; ls -d /sys/fs/cgroup/shimtest/long 2>&1 | head -1" \
	--end poweroff
rc=$?
[ $rc = 0 ] || vm_diag cg
out=$(vm_out cg 1)
check_match "memory.max from linux.resources.memory.limit" '^33554432$' "$(printf '%s\n' "$out" | sed -n 1p)"
check_match "pids.max from linux.resources.pids.limit" '^16$' "$(printf '%s\n' "$out" | sed -n 2p)"
check_match "cpu.max from quota/period" '^50000 100000$' "$(printf '%s\n' "$out" | sed -n 3p)"
check_match "cpu.weight from shares 512 (runc's formula: 20)" '^20$' "$(printf '%s\n' "$out" | sed -n 4p)"
check_match "cgroup namespace: the container is at /" '^0::/$' "$(printf '%s\n' "$out" | sed -n 5p)"
check_match "pids limit: no more than 16 tasks" '^forks=1[0-6]$' "$(printf '%s\n' "$out" | grep forks=)"
check_match "memory limit: dd of 96 MiB into shm is OOM-killed" '^dd=137$' "$(printf '%s\n' "$out" | grep dd=)"
check_match "run ends with the container's status" '^rc=0$' "$(printf '%s\n' "$out" | tail -n1)"
check_match "run removes the default cgroup keel/<ID>" 'No such file' "$(vm_out cg 2)"
out=$(vm_out cg 3)
check_match "ps --format json lists the cgroup's pids" '^\[[0-9]+\]' "$out"
check_eq "ps agrees with cgroup.procs (cgroupsPath honoured)" \
	"$(printf '%s\n' "$out" | sed -n 1p | tr -d '[]')" "$(printf '%s\n' "$out" | sed -n 2p)"
out=$(vm_out cg 4)
check_match "kill --all: stopped" '"status":.*"stopped"' "$out"
check_match "delete exits 0" '^rc=0$' "$out"
check_match "delete removes the cgroup" 'No such file' "$(printf '%s\n' "$out" | tail -n1)"
check_eq "VM powered off cleanly" poweroff "$(vm_fate cg)"
t_done
