#!/bin/sh
# runc-shim run with keel's default (unprivileged) config: what the probe
# sees inside, exit codes, and that nothing is left behind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
cfg "$B" 'c["process"]["env"].append("FOO=bar baz"); c["process"]["cwd"] = "/work"; c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 654}]; c["process"]["user"]["umask"] = 63'
out=$(cd "$B" && shim run basic1 2>&1)
rc=$?
check_eq "run exits 0" 0 "$rc"
check_eq "uid_map: container root is host 100000" "0 100000 65536" "$(field uid_map "$out")"
check_eq "gid_map: container root is host 100000" "0 100000 65536" "$(field gid_map "$out")"
check_eq "CapEff empty" 0000000000000000 "$(field CapEff "$out")"
check_eq "CapBnd empty" 0000000000000000 "$(field CapBnd "$out")"
check_eq "CapPrm empty" 0000000000000000 "$(field CapPrm "$out")"
check_eq "Seccomp filter mode (2)" 2 "$(field Seccomp "$out")"
check_eq "NoNewPrivs 1" 1 "$(field NoNewPrivs "$out")"
check_eq "hostname from config" keel "$(field hostname "$out")"
check_eq "PID 1 inside" 1 "$(field pid "$out")"
check_eq "root is read-only" "Read-only file system" "$(field root_rw "$out")"
check_eq "env passed" "bar baz" "$(field env_FOO "$out")"
check_eq "cwd from config" /work "$(field cwd "$out")"
check_eq "umask from config" 0077 "$(field umask "$out")"
check_eq "rlimit NOFILE from config" "321 654" "$(field nofile "$out")"
check_eq "only stdio fds" "0 1 2 " "$(field fds "$out")"

cfg "$B" 'c["process"]["args"] = ["sh", "-c", "ls /sys/class/net; cat /proc/keys | wc -c; ls /proc | grep -c \"^[0-9]\""]'
out=$(cd "$B" && shim run basic2 2>&1)
check_eq "private network namespace: only lo" lo "$(printf '%s\n' "$out" | sed -n 1p)"
check_eq "masked /proc/keys reads empty" 0 "$(printf '%s\n' "$out" | sed -n 2p | tr -d ' ')"
check_eq "pid namespace: 3 processes visible (sh, ls|grep)" 3 "$(printf '%s\n' "$out" | sed -n 3p)"

for code in 0 3 42; do
	cfg "$B" "c['process']['args'] = ['probe', 'exit', '$code']"
	(cd "$B" && shim run "exit$code" >/dev/null 2>&1)
	check_eq "exit status $code is passed through" "$code" "$?"
done
# A signal from outside: `kill` reaches the init; SIGKILL → 128+9.
cfg "$B" 'c["process"]["args"] = ["probe", "waitsig"]'
(cd "$B" && shim run killed >"$SHIM_T/killed.out" 2>&1; echo $? >"$SHIM_T/killed.rc") &
wait_running killed
shim kill killed KILL
wait
check_eq "killed by SIGKILL: run exits 137 (128+9)" 137 "$(cat "$SHIM_T/killed.rc")"
cfg "$B" 'c["process"]["args"] = ["no-such-binary"]'
before=$(mounts_now)
err=$(cd "$B" && shim run nobin 2>&1)
check_eq "missing binary: exit 1" 1 "$?"
check_match "missing binary: error names process.args[0]" 'process\.args\[0\]: "no-such-binary" not found' "$err"
check "missing binary: no state left" test ! -e "$SHIM_ROOT/nobin"
check_eq "no mount leaked to the host" "$before" "$(mounts_now)"
check_eq "run cleans its state dirs" "" "$(ls "$SHIM_ROOT")"
t_done
