#!/bin/sh
# containerd can use runc-shim in place of runc: a private containerd (own
# root, state and socket) with containerd-shim-runc-v2 calling runc-shim
# (ctr --runc-binary): run to completion with the exit code, run detached,
# task ps, kill, delete.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require
for t in containerd ctr containerd-shim-runc-v2; do
	command -v $t >/dev/null || { skip "containerd with runc-shim" "$t not installed"; t_done; }
done

C=$SHIM_T/containerd
mkdir -p "$C"
make_bundle "$SHIM_T/b"
cat >"$C/config.toml" <<EOF
version = 2
root = "$C/root"
state = "$C/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$C/c.sock"
[ttrpc]
  address = "$C/c.ttrpc"
EOF
containerd --config "$C/config.toml" >"$C/log" 2>&1 &
cpid=$!
NS=keelshim$$
trap 'kill $cpid 2>/dev/null; wait $cpid 2>/dev/null; rm -rf "/run/containerd/runc/$NS"; shim_cleanup' EXIT
ctr_() { timeout 60 ctr -a "$C/c.sock" -n "$NS" "$@"; }
for _ in $(seq 50); do ctr_ version >/dev/null 2>&1 && break; sleep 0.2; done
R="--runc-binary $BIN/runc-shim"

out=$(ctr_ run --rm $R --rootfs "$SHIM_T/b/rootfs" c1 /bin/probe info 2>&1)
check_eq "ctr run: the probe ran as PID 1" 1 "$(field pid "$out")"
check_eq "ctr run: no_new_privs from containerd's spec" 1 "$(field NoNewPrivs "$out")"
ctr_ run --rm $R --rootfs "$SHIM_T/b/rootfs" c2 /bin/probe exit 9 >/dev/null 2>&1
check_eq "ctr run: exit status passed through" 9 "$?"

ctr_ run -d $R --rootfs "$SHIM_T/b/rootfs" c3 /bin/sleep 600 >/dev/null 2>&1
check_eq "ctr run -d: started" 0 "$?"
check_match "task ls: RUNNING" 'c3 +[0-9]+ +RUNNING' "$(ctr_ task ls 2>&1)"
pid=$(ctr_ task ls | awk '$1 == "c3" { print $2 }')
check_match "task ps (runc-shim ps --format json)" "^$pid( |$)" "$(ctr_ task ps c3 2>&1 | sed 1d)"
ctr_ task kill -s KILL c3
for _ in $(seq 50); do ctr_ task ls | grep -q 'c3.*STOPPED' && break; sleep 0.1; done
check_match "task kill: STOPPED" 'c3 +[0-9]+ +STOPPED' "$(ctr_ task ls 2>&1)"
ctr_ task delete c3 >/dev/null 2>&1
check_eq "task delete" 0 "$?"
ctr_ container rm c3 >/dev/null 2>&1
check "runc-shim state is gone" test ! -e "/run/containerd/runc/$NS/c3"
t_done
