#!/bin/sh
# pause/resume (cgroup v2 cgroup.freeze) on the host's hybrid cgroup2
# hierarchy: it has no controllers, but the freezer is part of cgroup v2
# itself. Each runc-shim call runs in a private mount namespace where
# /sys/fs/cgroup/unified is bound onto /sys/fs/cgroup, so runc-shim finds a
# writable cgroup2 root there. Also `update` on this hierarchy: no
# controller, so a limit fails with a clear message (limits themselves are
# tested in QEMU, tests/qemu/shim_update.t), and its strict -r parser.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require
U=/sys/fs/cgroup/unified
if ! grep -q "^cgroup2 $U " /proc/self/mounts || [ ! -w "$U/cgroup.procs" ]; then
	skip "pause/resume" "no writable hybrid cgroup2 hierarchy at $U"
	t_done
fi
CG=keeltest$$
trap 'shim_cleanup; rmdir "$U/$CG/p1" "$U/$CG" 2>/dev/null' EXIT
shimcg() {
	unshare -m sh -c 'mount --bind "$0" /sys/fs/cgroup && exec "$@"' "$U" \
		"$BIN/runc-shim" --root "$SHIM_ROOT" "$@"
}

B=$SHIM_T/b
make_bundle "$B"
cfg "$B" "c['linux']['cgroupsPath'] = '/$CG/p1'
c['process']['args'] = ['sh', '-c', 'while :; do echo x; sleep 0.05; done']"
shimcg run -d --bundle "$B" p1 >"$SHIM_T/out" 2>"$SHIM_T/err"
check_eq "run -d in a cgroup2 cgroup" 0 "$?"
check "the container is in $U/$CG/p1" grep -q . "$U/$CG/p1/cgroup.procs"
check_eq "state: running" running "$(shimcg state p1 | jget '["status"]')"
check_match "resume of a running container fails" 'is not paused \(running\)' "$(shimcg resume p1 2>&1)"

shimcg pause p1
check_eq "pause exits 0" 0 "$?"
check_eq "state: paused" paused "$(shimcg state p1 | jget '["status"]')"
check_match "cgroup.events: frozen 1" '^frozen 1$' "$(cat "$U/$CG/p1/cgroup.events")"
a=$(wc -l <"$SHIM_T/out")
sleep 0.5
b=$(wc -l <"$SHIM_T/out")
check_eq "paused: the container makes no progress" "$a" "$b"
check_match "pause twice fails" 'is not running \(paused\)' "$(shimcg pause p1 2>&1)"
check_match "list shows paused" 'p1 .* paused' "$(shimcg list)"

shimcg resume p1
check_eq "resume exits 0" 0 "$?"
check_eq "state: running again" running "$(shimcg state p1 | jget '["status"]')"
sleep 0.5
c=$(wc -l <"$SHIM_T/out")
check "resumed: it makes progress again ($b -> $c lines)" test "$c" -gt "$b"

shimcg pause p1
shimcg delete --force p1
check_eq "delete --force of a paused container" 0 "$?"
check "its cgroup is removed" test ! -e "$U/$CG/p1"

# Without the bind: on a hybrid host the default cgroup is in its v2 tree
# (keel/ID below /sys/fs/cgroup/unified), so pause works there too.
cfg "$B" "c['linux'].pop('cgroupsPath')"
shim run -d --bundle "$B" nocg >/dev/null 2>&1
check_eq "pause in the hybrid v2 tree (default cgroupsPath)" 0 "$(shim pause nocg >/dev/null 2>&1; echo $?)"
check_match "it is frozen there" '^frozen 1$' "$(cat "$U/keel/nocg/cgroup.events" 2>&1)"
shim delete --force nocg

cfg "$B" "c['linux']['cgroupsPath'] = '/$CG/p1'"
shimcg run -d --bundle "$B" p1 >/dev/null 2>&1
check_match "update --pids-limit without a pids controller: a clear error" \
	"linux.resources.pids.limit: unable to write \"10\" to $U/$CG/p1/pids.max|/sys/fs/cgroup/$CG/p1/pids.max" \
	"$(shimcg update --pids-limit 10 p1 2>&1)"
echo '{"memory": {"limit": 1000, "bogus": 1}}' >"$SHIM_T/res.json"
check_match "update -r: the strict parser names the field" 'resources.memory.bogus' \
	"$(shimcg update -r "$SHIM_T/res.json" p1 2>&1)"
check_match "update -r -: reads stdin" 'resources: expected an object' \
	"$(echo '[]' | shimcg update -r - p1 2>&1)"
check_match "update: a bad size" 'update: --memory: bad value "12q"' "$(shimcg update --memory 12q p1 2>&1)"
check_match "update: an unsupported flag" 'update: --cpu-rt-period: not supported' \
	"$(shimcg update --cpu-rt-period 1 p1 2>&1)"
check_match "update of an unknown container" 'does not exist' "$(shimcg update --memory 1m nope 2>&1)"
shimcg delete --force p1
t_done
