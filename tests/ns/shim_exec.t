#!/bin/sh
# `exec` into a running default (user namespace) container, as containerd's
# shim calls it: the process shares the init's namespaces and uid map, gets
# the process JSON's capabilities, the container's seccomp filter and
# no_new_privs, a cwd inside the container, env, exit status, --detach with
# --pid-file, a tty through --console-socket; bad input fails in one line.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
cfg "$B" 'c["process"]["args"] = ["probe", "waitsig"]'
echo in-container >"$B/rootfs/etc/exec-marker"
# nslinks PID: the seven namespace links, as the host sees them.
nslinks() { for n in user mnt pid ipc uts net cgroup; do readlink "/proc/$1/ns/$n"; done; }

shim run -d --bundle "$B" ex >/dev/null 2>&1 </dev/null
wait_running ex || not_ok "container ex did not start"
init=$(shim state ex | jget '["pid"]')

out=$(shim exec ex probe info)
check_eq "exec exits 0" 0 "$?"
check_eq "same uid map as the init" "$(awk '{print $1, $2, $3; exit}' /proc/"$init"/uid_map)" \
	"$(field uid_map "$out")"
check_eq "container root by default" 0 "$(field uid "$out")"
check_eq "CapEff empty (the config's process)" 0000000000000000 "$(field CapEff "$out")"
check_eq "CapBnd empty" 0000000000000000 "$(field CapBnd "$out")"
check_eq "seccomp filter loaded" 2 "$(field Seccomp "$out")"
check_eq "no_new_privs" 1 "$(field NoNewPrivs "$out")"
check_eq "in the container's pid namespace (not its init)" 1 \
	"$([ "$(field pid "$out")" -gt 1 ] && [ "$(field pid "$out")" -lt 100 ] && echo 1)"
check_eq "the container's hostname" keel "$(field hostname "$out")"
check_eq "cwd / by default" / "$(field cwd "$out")"
check_eq "only stdio" "0 1 2 " "$(field fds "$out")"
check_eq "no signals blocked or ignored" "0000000000000000 0000000000000000" \
	"$(field SigBlk "$out") $(field SigIgn "$out")"
check_eq "sees the container's root" in-container "$(shim exec ex cat /etc/exec-marker)"
check_eq "sees the container's processes (init is pid 1)" "probe" \
	"$(shim exec ex sh -c 'cat /proc/1/comm')"

out=$(shim exec --env FOO=bar --cwd /work --user 1000:1000 ex probe info)
check_eq "--env" bar "$(field env_FOO "$out")"
check_eq "--cwd inside the container" /work "$(field cwd "$out")"
check_eq "--user" "1000 1000" "$(field uid "$out") $(field gid "$out")"
[ -d /usr/share ] && [ ! -e "$B/rootfs/usr/share" ] || diag "host /usr/share expected"
err=$(shim exec --cwd /usr/share ex true 2>&1)
check_eq "a cwd that only the host has fails" 1 "$?"
check_match "... naming process.cwd" '^runc-shim: process.cwd: chdir /usr/share: No such file' "$err"

check_eq "exit status passed through" 7 "$(shim exec ex sh -c 'exit 7' >/dev/null 2>&1; echo $?)"
check_eq "killed by a signal: 128+N" 137 \
	"$(shim exec ex sh -c 'kill -9 $$' >/dev/null 2>&1; echo $?)"
err=$(shim exec ex no-such-cmd 2>&1)
check_eq "missing command: exit 1" 1 "$?"
check_match "... naming it" 'process.args\[0\]: "no-such-cmd" not found in \$PATH' "$err"
check_eq "a host fd above stdio does not leak" "0 1 2 " \
	"$(field fds "$(shim exec ex probe info 3</dev/null)")"
check_eq "--preserve-fds 1 passes fd 3" "0 1 2 3 " \
	"$(field fds "$(shim exec --preserve-fds 1 ex probe info 3</dev/null)")"

# --detach: runc-shim exits at once, the process lives on.
shim exec --detach --pid-file "$SHIM_T/ex.pid" ex sleep 60 </dev/null >/dev/null 2>&1
check_eq "--detach exits 0" 0 "$?"
dpid=$(cat "$SHIM_T/ex.pid" 2>/dev/null)
check "--pid-file names a live process" kill -0 "${dpid:-0}"
check_eq "it runs sleep" sleep "$(cat /proc/"$dpid"/comm 2>/dev/null)"
check_eq "all seven namespaces are the init's" "$(nslinks "$init")" "$(nslinks "$dpid")"
check "they differ from ours" sh -c "[ '$(readlink /proc/self/ns/user)' != '$(readlink /proc/"$dpid"/ns/user)' ]"
check_eq "its host uid is the mapped root" 100000 "$(awk '/^Uid:/ {print $2}' /proc/"$dpid"/status)"
check_eq "ps lists init and the exec'd process" "$init $dpid" \
	"$(shim ps --format json ex | python3 -c 'import json,sys; print(*sorted(json.load(sys.stdin)))')"
kill -9 "$dpid"

# --process: an OCI process object, parsed strictly.
cat >"$SHIM_T/proc.json" <<'EOF'
{"args": ["probe", "info"], "cwd": "/tmp", "env": ["FOO=proc", "PATH=/bin"],
 "user": {"uid": 1000, "gid": 1000, "additionalGids": [5]},
 "capabilities": {"bounding": ["CAP_NET_BIND_SERVICE"], "effective": ["CAP_NET_BIND_SERVICE"],
   "permitted": ["CAP_NET_BIND_SERVICE"], "inheritable": ["CAP_NET_BIND_SERVICE"],
   "ambient": ["CAP_NET_BIND_SERVICE"]},
 "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 64, "soft": 32}],
 "noNewPrivileges": true, "terminal": false}
EOF
out=$(shim exec --process "$SHIM_T/proc.json" ex)
check_eq "--process: exits 0" 0 "$?"
check_eq "--process: its capabilities (CapEff, kept by uid 1000 through ambient)" 0000000000000400 "$(field CapEff "$out")"
check_eq "--process: bounding set" 0000000000000400 "$(field CapBnd "$out")"
check_eq "--process: user and groups" "1000 1000 5" \
	"$(field uid "$out") $(field gid "$out") $(field Groups "$out" | tr -d ' ')"
check_eq "--process: cwd, env, rlimits" "/tmp proc 32 64" \
	"$(field cwd "$out") $(field env_FOO "$out") $(field nofile "$out")"
check_eq "--process: seccomp and no_new_privs" "2 1" \
	"$(field Seccomp "$out") $(field NoNewPrivs "$out")"
python3 - "$SHIM_T/proc.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1])); p["noNewPrivileges"] = False
json.dump(p, open(sys.argv[1], "w"))
PY
out=$(shim exec --process "$SHIM_T/proc.json" ex)
check_eq "without noNewPrivileges: the filter is still loaded" "2 0" \
	"$(field Seccomp "$out") $(field NoNewPrivs "$out")"

# bad_process NAME JSON REGEX: exec --process fails in one line matching REGEX.
bad_process() {
	printf '%s' "$2" >"$SHIM_T/bad.json"
	err=$(shim exec --process "$SHIM_T/bad.json" ex 2>&1)
	st=$?
	check_eq "bad --process ($1): exit 1, one line" "1 1" "$st $(printf '%s\n' "$err" | wc -l)"
	check_match "bad --process ($1): names it" "$3" "$err"
}
bad_process "uid a string" '{"args": ["true"], "user": {"uid": "x", "gid": 0}}' \
	'^runc-shim: --process .*bad.json: process.user.uid: '
bad_process "unenforceable field" '{"args": ["true"], "scheduler": {"policy": "SCHED_FIFO"}}' 'process.scheduler: not supported'
bad_process "unknown capability" \
	'{"args": ["true"], "capabilities": {"effective": ["CAP_NOPE"]}}' \
	'process.capabilities.effective\[0\]'
bad_process "no args" '{"cwd": "/"}' 'process.args: missing or empty'
bad_process "not JSON" '{"args": [' 'invalid JSON near byte'
bad_process "relative cwd" '{"args": ["true"], "cwd": "tmp"}' 'process.cwd: must be an absolute path'
err=$(shim exec --process "$SHIM_T/none.json" ex 2>&1)
check_match "missing --process file" 'unable to read .*none.json: No such file' "$err"
err=$(shim exec --tty ex true 2>&1)
check_match "--tty without --console-socket" '^runc-shim: process.terminal: needs --console-socket' "$err"
err=$(shim exec --user x ex true 2>&1)
check_match "--user not numeric" '^runc-shim: exec: --user "x": expected UID\[:GID\]' "$err"
err=$(shim exec --bogus ex true 2>&1)
check_match "unknown option" '^runc-shim: exec: unknown option or missing argument: --bogus' "$err"
err=$(shim exec ex 2>&1)
check_match "no command" '^runc-shim: exec: expected --process FILE or COMMAND' "$err"

# A tty: the pty master goes to --console-socket, as for create.
sock=$SHIM_T/console.sock
pty_receiver "$sock" "$SHIM_T/console.out" "$SHIM_T/console.name"
recv=$!
shim exec --tty --console-socket "$sock" ex sh -c 'probe info; tty' </dev/null >/dev/null 2>&1
check_eq "--tty exec exits 0" 0 "$?"
wait $recv
out=$(tr -d '\r' <"$SHIM_T/console.out")
check_eq "--tty: stdin is a tty" yes "$(field tty "$out")"
check_eq "--tty: the slave is the master's peer" "$(cat "$SHIM_T/console.name")" \
	"$(printf '%s\n' "$out" | tail -n1)"

# No user namespace: exec joins the others and runs from the sealed copy
# (its /proc/PID/exe is a memfd until the exec, see cloned_binary.c).
N=$SHIM_T/n
make_bundle "$N"
cfg "$N" 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "user"]; del c["linux"]["uidMappings"]; del c["linux"]["gidMappings"]; c["process"]["args"] = ["probe", "waitsig"]'
shim run -d --bundle "$N" nouser >/dev/null 2>&1 </dev/null
wait_running nouser || not_ok "container nouser did not start"
ninit=$(shim state nouser | jget '["pid"]')
out=$(shim exec --user 1000:1000 nouser probe info)
check_eq "no user namespace: exec exits 0" 0 "$?"
check_eq "no user namespace: host ids, no caps, seccomp, no_new_privs" \
	"0 0 4294967295 1000 0000000000000000 2 1" \
	"$(field uid_map "$out") $(field uid "$out") $(field CapEff "$out") $(field Seccomp "$out") $(field NoNewPrivs "$out")"
shim exec -d --pid-file "$SHIM_T/n.pid" nouser sleep 60 </dev/null >/dev/null 2>&1
npid=$(cat "$SHIM_T/n.pid" 2>/dev/null)
check_eq "no user namespace: the other six namespaces are the init's" \
	"$(nslinks "$ninit" | tail -n +2)" "$(nslinks "${npid:-0}" | tail -n +2)"
kill -9 "$npid" 2>/dev/null
shim delete --force nouser

# Stopped and missing containers.
cfg "$B" 'c["process"]["args"] = ["true"]'
shim run -d --bundle "$B" gone >/dev/null 2>&1 </dev/null
for _ in $(seq 50); do shim state gone | grep -q '"stopped"' && break; sleep 0.1; done
err=$(shim exec gone true 2>&1)
check_eq "stopped container: exit 1" 1 "$?"
check_match "... says so" '^runc-shim: cannot exec in a stopped container "gone"$' "$err"
err=$(shim exec missing true 2>&1)
check_eq "missing container: exit 1" 1 "$?"
check_match "... says so" '^runc-shim: container "missing" does not exist$' "$err"

shim delete --force ex
check_eq "delete --force after exec" 0 "$?"
# Both were reparented to whoever reaps for us, which may not have yet.
check_eq "the init and the detached process are gone (or zombies)" "" \
	"$(ps -o stat= -p "$init,$dpid" 2>/dev/null | grep -v Z)"
t_done
