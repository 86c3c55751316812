#!/bin/sh
# The container init drops everything it can before it waits on exec.fifo:
# while `created`, it already has the container's uid/gid, capability sets
# and bounding set, no_new_privs, its seccomp filter and is not dumpable, so
# nothing on the host can ptrace or read a fully privileged waiting init.
# What fails up to there fails `create`; what fails after it (execve) fails
# `start`, not the container later with status 127.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ns/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
# The OCI suite's shape: no user namespace, so the waiting init would be
# host root before the drop.
cfg "$B" '
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "user"]
for k in ("uidMappings", "gidMappings"): c["linux"].pop(k, None)
c["process"]["user"] = {"uid": 1000, "gid": 1000}
c["process"]["capabilities"] = {k: ["CAP_NET_BIND_SERVICE"] for k in ("bounding", "effective", "permitted")}'
shim create --bundle "$B" --pid-file "$SHIM_T/pid" w1 >"$SHIM_T/w1.out" 2>&1
pid=$(cat "$SHIM_T/pid" 2>/dev/null)
st=$(cat /proc/"$pid"/status 2>/dev/null)
sget() { printf '%s\n' "$st" | sed -n "s/^$1:[[:space:]]*//p" | tr -s '\t' ' '; }
check_match "created: the waiting init is in state created" '"created"' "$(shim state w1)"
check_eq "waiting init: uids already 1000" "1000 1000 1000 1000" "$(sget Uid)"
check_eq "waiting init: gids already 1000" "1000 1000 1000 1000" "$(sget Gid)"
# CAP_NET_BIND_SERVICE is bit 10.
check_eq "waiting init: effective caps already only the configured one" 0000000000000400 "$(sget CapEff)"
check_eq "waiting init: bounding set already dropped" 0000000000000400 "$(sget CapBnd)"
check_eq "waiting init: no_new_privs already set" 1 "$(sget NoNewPrivs)"
check_eq "waiting init: seccomp filter already loaded" 2 "$(sget Seccomp)"
# Non-dumpable: even its own uid cannot read its memory or environment.
check_match "waiting init: not readable by a host process of the same uid" 'denied' \
	"$(setpriv --reuid=1000 --regid=1000 --clear-groups cat /proc/"$pid"/environ 2>&1 >/dev/null && echo allowed || echo denied)"
check_match "waiting init: not ptrace-attachable by its uid" 'denied' "$(setpriv --reuid=1000 --regid=1000 --clear-groups python3 -c "
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
print('allowed' if libc.ptrace(16, $pid, 0, 0) == 0 else 'denied', ctypes.get_errno())" 2>&1)"
shim start w1
for _ in $(seq 50); do grep -q '^uid=' "$SHIM_T/w1.out" && break; sleep 0.1; done
check_eq "started: the process runs as uid 1000" 1000 "$(field uid "$(cat "$SHIM_T/w1.out")")"
shim delete --force w1

# A uid change that fails (not mapped in the user namespace) fails create.
make_bundle "$B.u"
cfg "$B.u" 'c["process"]["user"] = {"uid": 70000, "gid": 0}'
# (To a file: an init that survived would hold a substitution's pipe open.)
timeout 20 "$BIN/runc-shim" --root "$SHIM_ROOT" create --bundle "$B.u" u1 >"$SHIM_T/u1.out" 2>&1
rc=$?
out=$(cat "$SHIM_T/u1.out")
check_eq "unmapped uid: create fails" 1 "$rc"
check_match "...naming the step" 'process.user' "$out"
check_eq "...and leaves nothing" "" "$(ls "$SHIM_ROOT")"

# execve failing after the fifo (a file that is executable but no program)
# fails start, with the reason.
printf 'not a program\n' >"$B.u/rootfs/bin/bad"
chmod 755 "$B.u/rootfs/bin/bad"
cfg "$B.u" 'c["process"]["user"] = {"uid": 0, "gid": 0}; c["process"]["args"] = ["/bin/bad"]'
shim create --bundle "$B.u" e1 >/dev/null 2>&1
out=$(shim start e1 2>&1)
rc=$?
check_eq "execve failing after start: start exits 1" 1 "$rc"
check_match "...saying why" 'exec /bin/bad: Exec format error' "$out"
out=$(shim run --bundle "$B.u" e2 2>&1)
check_match "run: the same error" 'exec /bin/bad: Exec format error' "$out"
check_eq "run: nothing left" "" "$(ls "$SHIM_ROOT" | grep e2)"
t_done
