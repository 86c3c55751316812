#!/bin/sh
# OCI spec details that clients and the runtime-tools suite rely on: fd
# sealing under a default-deny seccomp profile, unknown and deprecated
# properties, big integers, capabilities, ENOSYS, cgroup v1, state
# annotations, hostname, /dev/console, exec without -t.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
bundle_saved "$B"
reset() { cfg_reset "$B"; }
# run_rc ID: runs the bundle in the foreground and prints "rc=N" and its
# error lines (but not the once-only notice about this host's cgroups).
run_rc() {
	(cd "$B" && "$BIN/runc-shim" --root "$SHIM_ROOT" run "$1" >"$SHIM_T/out" 2>"$SHIM_T/err")
	echo "rc=$?"
	grep -v 'no writable cgroup v2' "$SHIM_T/err"
}

# A default-deny profile that does not list close_range, without
# no_new_privs (so it is loaded early): the fd sweep must come first.
cfg "$B" 'c["process"]["noNewPrivileges"] = False
for r in c["linux"]["seccomp"]["syscalls"]:
    r["names"] = [n for n in r["names"] if n != "close_range"]
c["process"]["args"] = ["true"]'
check_eq "seccomp allowlist without close_range, no NNP: runs" "rc=0" "$(run_rc sc1)"
reset
# A profile denying getcwd (the suite's linux_seccomp), loaded early: the
# cwd check (getcwd, CVE-2024-21626) comes before it; the process still
# runs as its user in that cwd.
cfg "$B" 'c["process"]["noNewPrivileges"] = False
c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [{"names": ["getcwd"], "action": "SCMP_ACT_ERRNO"}]}
c["process"]["cwd"] = "/tmp"; c["process"]["args"] = ["sh", "-c", "cd .. && cd /tmp && echo ok"]'
check_eq "seccomp denying getcwd, no NNP: runs" "rc=0" "$(run_rc sc2)"
check_eq "seccomp denying getcwd: the process ran in its cwd" "ok" "$(cat "$SHIM_T/out")"
reset

# The spec: unknown properties MUST be ignored (one warning line each).
cfg "$B" 'c["x-future"] = {"a": 1}; c["process"]["x-new"] = True; c["process"]["args"] = ["true"]'
out=$(run_rc unk)
check_match "unknown properties: the container runs" '^rc=0' "$out"
check_eq "unknown properties: one warning naming each" 2 "$(printf '%s\n' "$out" | grep -c 'unknown property, ignored')"
reset
# Deprecated fields are warned about and ignored, like runc.
cfg "$B" 'c["linux"]["resources"] = {"memory": {"kernel": 1048576}, "blockIO": {"leafWeight": 10},
  "network": {"classID": 1}}; c["process"]["args"] = ["true"]'
out=$(run_rc dep)
check_match "deprecated memory.kernel/leafWeight/network: runs" '^rc=0' "$out"
check_eq "deprecated fields: one warning each" 3 "$(printf '%s\n' "$out" | grep -c 'deprecated, ignored')"
reset
# A known field keel cannot enforce still fails, naming its path.
cfg "$B" 'c["process"]["scheduler"] = {"policy": "SCHED_FIFO", "priority": 50}'
check_match "process.scheduler is refused with its path" 'process.scheduler: not supported' "$(run_rc sched)"
reset
# RLIM_INFINITY (2^64-1) is above cJSON's exact 2^53: kept exactly.
cfg "$B" 'c["process"]["rlimits"] = [{"type": "RLIMIT_CPU", "soft": 18446744073709551615,
  "hard": 18446744073709551615}]; c["process"]["args"] = ["sh", "-c", "ulimit -t"]'
run_rc inf >/dev/null
check_eq "RLIM_INFINITY rlimit: unlimited inside" "unlimited" "$(cat "$SHIM_T/out")"
reset
# "hostname": "" leaves the hostname alone (the new uts ns keeps the host's).
cfg "$B" 'c["hostname"] = ""'
run_rc host >/dev/null
check_eq "empty hostname: the inherited one stays" "$(hostname)" "$(field hostname "$(cat "$SHIM_T/out")")"
reset
# memory.limit 0 means unset (no cgroup v2 here: a real limit would fail).
cfg "$B" 'c["linux"]["resources"] = {"memory": {"limit": 0, "swap": 0}}; c["process"]["args"] = ["true"]'
check_eq "memory.limit 0 is no limit" "rc=0" "$(run_rc mem0)"
cfg "$B" 'c["linux"]["resources"] = {"memory": {"limit": 2097152, "swap": 1048576}}'
check_match "memory.swap below memory.limit is refused" 'memory.swap: 1048576 is below memory.limit' "$(run_rc swap)"
reset

# A capability runc-shim itself lacks is not granted, with a warning, and
# the container still runs (the spec: SHOULD NOT fail).
cfg "$B" 'for k in ("bounding", "effective", "permitted"):
    c["process"]["capabilities"][k] = ["CAP_KILL", "CAP_SYS_BOOT"]'
out=$(cd "$B" && setpriv --bounding-set -sys_boot "$BIN/runc-shim" --root "$SHIM_ROOT" run capb 2>&1)
check_match "capability outside our bounding set: a warning" 'CAP_SYS_BOOT is not in runc-shim.s own bounding set' "$out"
check_eq "capability outside our bounding set: the rest granted" "0000000000000020" "$(field CapBnd "$out")"
reset

# Under the default-deny profile a syscall newer than the profile gets
# ENOSYS (a libc then falls back), one it omits still the default EPERM.
cfg "$B" 'c["process"]["args"] = ["sh", "-c", "probe try nosys; probe try keyctl"]'
out=$(run_rc nosys; cat "$SHIM_T/out")
check_match "default-deny: an unknown syscall gets ENOSYS" 'nosys: denied \(Function not implemented\)' "$out"
check_match "default-deny: a known, unlisted one keeps EPERM" 'keyctl: denied \(Operation not permitted\)' "$out"
reset

# A host with only cgroup v1 controllers (Debian 12's hybrid layout): the
# limits go to the v1 files, and delete removes the cgroups.
if [ "$(stat -f -c %T /sys/fs/cgroup/pids 2>/dev/null)" = cgroupfs ] &&
	! grep -qw pids /sys/fs/cgroup/cgroup.controllers /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then
	cfg "$B" 'c["linux"]["cgroupsPath"] = "/keel-test-'"$$"'/v1"
c["linux"]["resources"] = {"pids": {"limit": 10}, "cpu": {"shares": 512},
  "memory": {"kernelTCP": 50593792, "swappiness": 0, "disableOOMKiller": True}}'
	shim create --bundle "$B" v1c >/dev/null 2>&1
	check_eq "cgroup v1: pids.limit and cpu.shares written" "10 512" \
		"$(cat /sys/fs/cgroup/pids/keel-test-$$/v1/pids.max /sys/fs/cgroup/cpu/keel-test-$$/v1/cpu.shares | tr '\n' ' ' | sed 's/ $//')"
	m=/sys/fs/cgroup/memory/keel-test-$$/v1
	check_eq "cgroup v1: memory kernelTCP, swappiness 0, disableOOMKiller written" \
		"50593792 0 oom_kill_disable 1" \
		"$({ cat $m/memory.kmem.tcp.limit_in_bytes $m/memory.swappiness; head -n1 $m/memory.oom_control; } 2>&1 | paste -sd' ')"
	shim delete --force v1c
	check_eq "cgroup v1: delete removes the cgroups" "" "$(ls -d /sys/fs/cgroup/*/keel-test-$$/v1 2>/dev/null)"
	reset
	# Device rules alone take the v1 path too when there is a v1 devices
	# controller: deny all, then the allows in order, then runc's
	# always-allowed ones (what runc's fs driver writes; the suite's
	# linux_cgroups_devices reads devices.list). pause/resume use the
	# hybrid v2 tree the container joined as well.
	cfg "$B" 'c["linux"]["cgroupsPath"] = "/keel-test-'"$$"'/dev"
c["linux"]["resources"] = {"devices": [{"allow": False, "access": "rwm"},
  {"allow": True, "type": "c", "major": 10, "minor": 229, "access": "rwm"},
  {"allow": True, "type": "b", "major": 8, "minor": 20, "access": "r"},
  {"allow": True, "type": "a", "access": "m"}]}
c["process"]["args"] = ["sleep", "60"]'
	shim run -d --bundle "$B" v1d >/dev/null 2>&1
	check_eq "cgroup v1 devices: the config's allows first, in order" \
		"c 10:229 rwm|b 8:20 r|c *:* m|b *:* m" \
		"$(head -n4 /sys/fs/cgroup/devices/keel-test-$$/dev/devices.list 2>&1 | paste -sd'|')"
	check_match "cgroup v1 devices: then the always-allowed /dev/null" '^c 1:3 rwm$' \
		"$(cat /sys/fs/cgroup/devices/keel-test-$$/dev/devices.list 2>&1)"
	shim pause v1d
	check_eq "cgroup v1 container: pause freezes it" paused "$(shim state v1d | jget '["status"]')"
	shim resume v1d
	check_eq "cgroup v1 container: resume thaws it" running "$(shim state v1d | jget '["status"]')"
	shim update --pids-limit 20 v1d
	check_eq "cgroup v1 container: update writes the v1 file" 20 \
		"$(cat /sys/fs/cgroup/pids/keel-test-$$/dev/pids.max 2>&1)"
	shim delete --force v1d
	check_eq "cgroup v1 devices: delete removes the cgroups" "" "$(ls -d /sys/fs/cgroup/*/keel-test-$$/dev 2>/dev/null)"
	rmdir /sys/fs/cgroup/*/keel-test-$$ 2>/dev/null
	reset
else
	skip "cgroup v1 limits" "this host has no v1-only pids controller"
fi

# linux.devices: the node gets fileMode exactly, whatever the caller's umask
# (no user namespace here, so runc-shim makes it with mknod).
cfg "$B" 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "user"]
del c["linux"]["uidMappings"], c["linux"]["gidMappings"]
c["linux"]["devices"] = [{"path": "/dev/testnull", "type": "c", "major": 1, "minor": 3, "fileMode": 438}]
c["process"]["args"] = ["stat", "-c", "%a", "/dev/testnull"]'
ln -sf busybox "$B/rootfs/bin/stat"
(umask 077; run_rc devmode >/dev/null)
check_eq "linux.devices: fileMode 0666 despite umask 077" 666 "$(cat "$SHIM_T/out")"
reset

# state shows the config's annotations (the runtime spec's state object).
cfg "$B" 'c["annotations"] = {"org.example.a": "1", "org.example.b": "x y"}'
shim create --bundle "$B" ann 2>/dev/null
check_eq "state: annotations from config.json" "1|x y" "$(shim state ann |
	python3 -c 'import json,sys; a=json.load(sys.stdin)["annotations"]; print(a["org.example.a"] + "|" + a["org.example.b"])')"
shim delete --force ann
reset

# terminal: the pty slave is also /dev/console (as runc); exec without -t
# gets no terminal even though the container's process has one.
cfg "$B" 'c["process"]["terminal"] = True
c["process"]["args"] = ["sh", "-c", "test /dev/console -ef $(tty) && echo console=pty; sleep 30"]'
sock=$SHIM_T/console.sock
pty_receiver "$sock" "$SHIM_T/console.out" "$SHIM_T/console.name"
recv=$!
shim run -d --console-socket "$sock" --bundle "$B" tty1 >/dev/null 2>&1
check_eq "terminal: run -d exits 0" 0 "$?"
wait_running tty1
check_eq "exec without -t: no terminal" "no" "$(field tty "$(shim exec tty1 probe info 2>&1)")"
sleep 0.3
shim kill tty1 KILL
wait "$recv"
check_match "terminal: /dev/console is the pty" 'console=pty' "$(tr -d '\r' <"$SHIM_T/console.out")"
shim delete --force tty1 2>/dev/null
reset
t_done
