#!/bin/sh
# OCI spec details that clients and the runtime-tools suite rely on: fd
# sealing under a default-deny seccomp profile, CLI argument order, unknown
# and deprecated properties, big integers, state annotations, hostname.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
cp "$B/config.json" "$SHIM_T/good.json"
reset() { cp "$SHIM_T/good.json" "$B/config.json"; }
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
t_done
