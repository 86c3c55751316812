#!/bin/sh
# create/start/state/kill/delete like runc: the init waits between create
# and start, no runc-shim process stays behind, state JSON, signals, cleanup.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
cfg "$B" 'c["process"]["args"] = ["probe", "waitsig"]'

shim create --bundle "$B" --pid-file "$SHIM_T/pid" life >"$SHIM_T/life.out" 2>"$SHIM_T/life.err"
check_eq "create exits 0" 0 "$?"
pid=$(cat "$SHIM_T/pid")
st=$(shim state life)
check_eq "state: status created" created "$(printf '%s' "$st" | jget '["status"]')"
check_eq "state: pid is the --pid-file pid" "$pid" "$(printf '%s' "$st" | jget '["pid"]')"
check_eq "state: id" life "$(printf '%s' "$st" | jget '["id"]')"
check_eq "state: bundle" "$B" "$(printf '%s' "$st" | jget '["bundle"]')"
check_match "state: created is RFC 3339" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$' \
	"$(printf '%s' "$st" | jget '["created"]')"
check_eq "created: the probe has not run yet" "" "$(cat "$SHIM_T/life.out")"
check_eq "created: the init is still runc-shim (waiting on exec.fifo)" "$(readlink -f "$BIN/runc-shim")" \
	"$(readlink /proc/"$pid"/exe)"
# Ours only (other runc-shim users may run on this machine): by --root.
ours() {
	for p in $(pgrep -x runc-shim); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "--root $SHIM_ROOT " && echo "$p"
	done
}
check_eq "no runc-shim process stays besides the init" "" "$(ours | grep -vx "$pid")"
check_eq "list -q shows it" life "$(shim list -q)"
check_eq "list --format json: id and status" "life created" \
	"$(shim list --format json | python3 -c 'import json,sys; l=json.load(sys.stdin); print(l[0]["id"], l[0]["status"])')"
check "delete without --force refuses a live container" sh -c "! $BIN/runc-shim --root $SHIM_ROOT delete life 2>/dev/null"

shim start life
check_eq "start exits 0" 0 "$?"
wait_running life
check_eq "state: running after start" running "$(shim state life | jget '["status"]')"
check_eq "start twice fails" 1 "$(shim start life 2>/dev/null; echo $?)"
check_eq "ps lists the init" "[$pid]" "$(shim ps --format json life)"
check_eq "same id again: create fails" 1 "$(shim create --bundle "$B" life 2>/dev/null; echo $?)"

shim kill life TERM
for _ in $(seq 50); do grep -q signal "$SHIM_T/life.out" && break; sleep 0.1; done
check_eq "kill TERM reaches the init" "signal=15" "$(sed -n 2p "$SHIM_T/life.out")"
for _ in $(seq 50); do shim state life | grep -q stopped && break; sleep 0.1; done
check_eq "state: stopped after exit" stopped "$(shim state life | jget '["status"]')"
check_eq "kill of a stopped container fails" 1 "$(shim kill life 2>/dev/null; echo $?)"
check_eq "start of a stopped container fails" 1 "$(shim start life 2>/dev/null; echo $?)"
shim delete life
check_eq "delete exits 0" 0 "$?"
check "delete removes the state dir" test ! -e "$SHIM_ROOT/life"
check_match "state after delete: does not exist" 'does not exist' "$(shim state life 2>&1)"

# delete --force of a running container kills it and waits for it.
shim run -d --bundle "$B" --pid-file "$SHIM_T/pid2" forced >/dev/null 2>&1
check_eq "run -d exits 0" 0 "$?"
pid=$(cat "$SHIM_T/pid2")
wait_running forced
shim delete --force forced
check_eq "delete --force exits 0" 0 "$?"
check "delete --force: the init is gone" sh -c "! kill -0 $pid 2>/dev/null || grep -q '^State:.Z' /proc/$pid/status"
check "delete --force: state dir gone" test ! -e "$SHIM_ROOT/forced"
check_eq "delete --force of a missing container is fine (runc)" 0 "$(shim delete --force nothere; echo $?)"

# kill --all without a cgroup: every process of the pid namespace.
cfg "$B" 'c["process"]["args"] = ["sh", "-c", "sh -c \"trap \\\"\\\" TERM; sleep 300\" & exec probe waitsig"]'
shim run -d --bundle "$B" --pid-file "$SHIM_T/pid3" all >/dev/null 2>&1
wait_running all
sleep 0.5
check_eq "ps (no cgroup): the pid namespace's processes" 3 "$(shim ps all | wc -l | tr -d ' ')"
shim kill --all all KILL
for _ in $(seq 50); do shim state all | grep -q stopped && break; sleep 0.1; done
check_match "kill --all KILL (no cgroup): stopped" '"stopped"' "$(shim state all)"
shim delete all
# A container in the host's pid namespace: --all must not mean the host.
cp "$B/config.json" "$SHIM_T/saved.json"
cfg "$B" 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] not in ("pid", "user")]; del c["linux"]["uidMappings"]; del c["linux"]["gidMappings"]; c["process"]["args"] = ["sleep", "300"]'
shim run -d --bundle "$B" --pid-file "$SHIM_T/pid4" hostpid >/dev/null 2>&1
wait_running hostpid
check_eq "host pid namespace: ps lists only the init" "$(cat "$SHIM_T/pid4")" "$(shim ps hostpid | sed 1d)"
shim delete --force hostpid
cp "$SHIM_T/saved.json" "$B/config.json"

# --preserve-fds 1: fd 3 goes in, fd 4 does not.
cfg "$B" 'c["process"]["args"] = ["sh", "-c", "echo through >&3; exec probe info"]'
out=$(shim run --bundle "$B" pfd 3>"$SHIM_T/fd3" 4>/dev/null --preserve-fds 1 2>/dev/null)
check_eq "--preserve-fds 1: fd 3 reaches the container" through "$(cat "$SHIM_T/fd3")"
check_eq "--preserve-fds 1: fd 4 does not" "0 1 2 3 " "$(field fds "$out")"
# A caller that ignores TERM and blocks signals (as keel's init does before
# its signalfd) must not pass that on: the container starts clean.
cfg "$B" 'c["process"]["args"] = ["probe", "info"]'
out=$(python3 -c '
import os, signal, sys
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGHUP})
os.execv(sys.argv[1], sys.argv[1:])' "$BIN/runc-shim" --root "$SHIM_ROOT" run --bundle "$B" sigs 2>/dev/null)
check_eq "caller's blocked signals are not inherited" 0000000000000000 "$(field SigBlk "$out")"
check_eq "caller's ignored signals are not inherited" 0000000000000000 "$(field SigIgn "$out")"
check_eq "nothing left under --root" "" "$(ls "$SHIM_ROOT")"
t_done
