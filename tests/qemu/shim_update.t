#!/bin/sh
# runc-shim update and pause/resume with real cgroup v2 controllers (QEMU:
# the host has none): `update` with runc's flags and with `-r -` (the JSON
# containerd-shim-runc-v2 pipes in for docker update / ctr task update)
# rewrites the live cgroup's files, and a pids limit lowered by update
# bites; pause freezes the cgroup (state "paused"), resume thaws it; the
# cgroup-v1-only memory knobs are refused on v2.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
vm_need_image
[ "$VM_TIMEOUT" -ge 120 ] || VM_TIMEOUT=120

vm_shim_bundle sh cat sleep seq echo
B=$SHIM_B
python3 - "$B/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["env"] = ["PATH=/bin"]
c["process"]["args"] = ["sleep", "600"]
c["linux"]["resources"] = {"memory": {"limit": 33554432}, "pids": {"limit": 64}}
c["linux"]["cgroupsPath"] = "/shimtest/up"
json.dump(c, open(sys.argv[1], "w"))
PY
echo '{"memory": {"limit": 50331648}, "cpu": {"shares": 1024, "quota": 30000, "period": 100000}, "pids": {"limit": 8}}' \
	>"$VM/extra/shimtest/res.json"
vm_extra_image

S='/shimtest/runc-shim --root /run/shimtest'
G=/sys/fs/cgroup/shimtest/up
vm_boot up --image "$VM/img" \
	--cmd "cd /shimtest/b && $S run -d up >/dev/null 2>&1; echo rc=\$?; cat $G/memory.max $G/pids.max" \
	--cmd "$S update --memory 64m --pids-limit 32 --cpu-quota 20000 --cpu-period 100000 --cpu-share 512 up; echo rc=\$?; cat $G/memory.max $G/pids.max $G/cpu.max $G/cpu.weight" \
	--cmd "$S update -r - up </shimtest/res.json; echo rc=\$?; cat $G/memory.max $G/pids.max $G/cpu.max $G/cpu.weight" \
	--cmd "$S exec up sh -c 'for i in \$(seq 20); do sleep 30 & done' 2>/dev/null; cat $G/pids.current" \
	--cmd "$S pause up; echo rc=\$?; $S state up | grep status; cat $G/cgroup.freeze; grep frozen $G/cgroup.events" \
	--cmd "$S resume up; echo rc=\$?; $S state up | grep status; grep frozen $G/cgroup.events" \
	--cmd "echo '{\"memory\": {\"swappiness\": 10}}' | $S update -r - up 2>&1; echo rc=\$?" \
	--cmd "$S delete --force up; echo rc=\$?; ls -d $G 2>&1 | head -1" \
	--end poweroff
rc=$?
[ $rc = 0 ] || vm_diag up
check_eq "run -d with limits" "rc=0 33554432 64" "$(vm_out up 1 | tr '\n' ' ' | sed 's/ $//')"
check_eq "update with runc's flags rewrites memory.max, pids.max, cpu.max, cpu.weight" \
	"rc=0 67108864 32 20000 100000 20" "$(vm_out up 2 | tr '\n' ' ' | sed 's/ $//')"
check_eq "update -r - (linux.resources JSON on stdin)" \
	"rc=0 50331648 8 30000 100000 39" "$(vm_out up 3 | tr '\n' ' ' | sed 's/ $//')"
check_match "the lowered pids limit bites (at most 8 tasks)" '^[1-8]$' "$(vm_out up 4 | tail -n1)"
check_match "pause: state paused, cgroup.freeze 1, frozen 1" \
	'^rc=0 "status": "paused", 1 frozen 1$' "$(vm_out up 5 | tr '\n' ' ' | sed 's/[[:space:]][[:space:]]*/ /g; s/ $//')"
check_match "resume: state running, frozen 0" \
	'^rc=0 "status": "running", frozen 0$' "$(vm_out up 6 | tr '\n' ' ' | sed 's/[[:space:]][[:space:]]*/ /g; s/ $//')"
check_match "memory.swappiness (cgroup v1 only) is refused on v2, naming it" \
	'swappiness and disableOOMKiller need cgroup v1.* rc=1$' "$(vm_out up 7 | tr '\n' ' ' | sed 's/ $//')"
check_match "delete --force removes the cgroup" 'rc=0 .*No such file' "$(vm_out up 8 | tr '\n' ' ')"
check_eq "VM powered off cleanly" poweroff "$(vm_fate up)"
t_done
