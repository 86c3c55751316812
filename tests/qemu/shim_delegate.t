#!/bin/sh
# runc-shim's cgroup delegation, QEMU tier (the host has no cgroup v2
# controllers): a container with its own user and cgroup namespaces and a
# read-write cgroup2 mount gets its cgroup chowned to its mapped root (the
# files of /sys/kernel/cgroup/delegate, runc's rule), makes a child cgroup
# with a memory limit that bites, cannot touch its parent; `exec` still
# joins it once the cgroup holds no process (EBUSY: init's cgroup), and
# `delete` removes the child cgroups too. A read-only mount gets nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
vm_need_image
[ "$VM_TIMEOUT" -ge 120 ] || VM_TIMEOUT=120

vm_shim_bundle sh cat sleep mkdir echo dd stat ls
B=$SHIM_B
python3 - "$B/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["env"] = ["PATH=/bin"]
# What a nested runtime does: leave the root (no internal processes), give
# the children controllers, limit one child.
c["process"]["args"] = ["sh", "-c", "G=/sys/fs/cgroup; mkdir $G/init $G/box && echo $$ >$G/init/cgroup.procs && "
    "echo +memory >$G/cgroup.subtree_control && echo 8388608 >$G/box/memory.max && "
    "echo ok >/tmp/ready; "
    "sh -c 'echo $$ >/sys/fs/cgroup/box/cgroup.procs; exec dd if=/dev/zero of=/dev/null bs=32M count=1'; "
    "echo box=$? >/tmp/box; exec sleep 600"]
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 200000, "size": 65536}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 200000, "size": 65536}]
c["linux"]["cgroupsPath"] = "/shimtest/deleg"
for m in c["mounts"]:
    if m["destination"] == "/sys/fs/cgroup":
        m["options"] = [o for o in m["options"] if o != "ro"] + ["rw"]
    if m["destination"] == "/tmp":
        m["options"] = [o for o in m["options"] if o != "noexec"]
json.dump(c, open(sys.argv[1], "w"))
for m in c["mounts"]:
    if m["destination"] == "/sys/fs/cgroup":
        m["options"] = [o for o in m["options"] if o != "rw"] + ["ro"]
c["process"]["args"] = ["sleep", "600"]
c["linux"]["cgroupsPath"] = "/shimtest/ro"
json.dump(c, open(sys.argv[1].replace("config.json", "ro.json"), "w"))
PY
vm_extra_image

S='/shimtest/runc-shim --root /run/shimtest'
G=/sys/fs/cgroup/shimtest/deleg
vm_boot dg --image "$VM/img" \
	--cmd "cd /shimtest/b && $S create deleg >/dev/null 2>&1 </dev/null && $S start deleg; sleep 3; stat -c '%u %n' $G $G/cgroup.procs $G/cgroup.subtree_control $G/cgroup.threads $G/memory.max /sys/fs/cgroup/shimtest" \
	--cmd "$S exec deleg cat /tmp/ready /tmp/box /proc/self/cgroup; echo rc=\$?" \
	--cmd "cat $G/box/memory.events | grep oom_kill; cat $G/cgroup.procs | wc -l" \
	--cmd "$S kill deleg KILL; sleep 1; $S delete deleg; echo rc=\$?; ls -d $G 2>&1 | head -1" \
	--cmd "cd /shimtest/b && cp ro.json config.json && $S create ro && stat -c '%u' /sys/fs/cgroup/shimtest/ro; $S delete --force ro" \
	--end poweroff
rc=$?
[ $rc = 0 ] || vm_diag dg
out=$(vm_out dg 1)
check_match "delegated: the cgroup dir belongs to the container's root" '^200000 /sys/fs/cgroup/shimtest/deleg$' "$(printf '%s\n' "$out" | sed -n 1p)"
check_match "delegated: cgroup.procs, subtree_control, threads too" '^200000 .*procs 200000 .*control 200000 .*threads$' \
	"$(printf '%s\n' "$out" | sed -n 2,4p | tr '\n' ' ' | sed 's/ $//')"
check_match "not delegated: its own limits (memory.max) stay host root's" '^0 .*memory.max$' "$(printf '%s\n' "$out" | sed -n 5p)"
check_match "not delegated: the parent stays host root's" '^0 /sys/fs/cgroup/shimtest$' "$(printf '%s\n' "$out" | sed -n 6p)"
out=$(vm_out dg 2)
check_match "the container made child cgroups and enabled memory for them" '^ok$' "$(printf '%s\n' "$out" | sed -n 1p)"
check_match "a child's memory limit bites (dd OOM-killed)" '^box=137$' "$(printf '%s\n' "$out" | sed -n 2p)"
check_match "exec into a cgroup that holds no process joins init's (EBUSY)" '^0::/init$' "$(printf '%s\n' "$out" | sed -n 3p)"
check_match "exec exits 0" '^rc=0$' "$(printf '%s\n' "$out" | tail -n1)"
check_match "the OOM kill is the child's" '^oom_kill 1$' "$(vm_out dg 3 | sed -n 1p)"
check_eq "the delegated root holds no process" 0 "$(vm_out dg 3 | sed -n 2p)"
out=$(vm_out dg 4)
check_match "delete exits 0 with child cgroups below" '^rc=0$' "$out"
check_match "delete removes the child cgroups and the cgroup" 'No such file' "$(printf '%s\n' "$out" | tail -n1)"
check_eq "a read-only cgroup mount: nothing delegated" 0 "$(vm_out dg 5 | head -n1)"
check_eq "VM powered off cleanly" poweroff "$(vm_fate dg)"
t_done
