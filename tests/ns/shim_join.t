#!/bin/sh
# linux.namespaces[].path: a second container joins the first one's
# network, ipc and uts namespaces (keel's pods, containerd's sandboxes);
# a no-user-namespace container (host ids, no capabilities) works too.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

A=$SHIM_T/a
B=$SHIM_T/b
make_bundle "$A"
make_bundle "$B"
cfg "$A" 'c["process"]["args"] = ["sleep", "600"]'
shim run -d --bundle "$A" --pid-file "$SHIM_T/a.pid" pod >/dev/null 2>&1
check_eq "first container runs" 0 "$?"
pid=$(cat "$SHIM_T/a.pid")
cfg "$B" "c['linux']['namespaces'] = [n if n['type'] not in ('network', 'ipc', 'uts') else {'type': n['type'], 'path': '/proc/$pid/ns/' + {'network': 'net'}.get(n['type'], n['type'])} for n in c['linux']['namespaces']]; del c['hostname']; c['mounts'] = [m for m in c['mounts'] if m['type'] != 'mqueue']; c['process']['args'] = ['sh', '-c', 'for n in net ipc uts pid; do readlink /proc/self/ns/\$n; done']"
out=$(shim run --bundle "$B" member 2>&1)
check_eq "joined the network namespace" "$(readlink /proc/"$pid"/ns/net)" "$(printf '%s\n' "$out" | sed -n 1p)"
check_eq "joined the ipc namespace" "$(readlink /proc/"$pid"/ns/ipc)" "$(printf '%s\n' "$out" | sed -n 2p)"
check_eq "joined the uts namespace" "$(readlink /proc/"$pid"/ns/uts)" "$(printf '%s\n' "$out" | sed -n 3p)"
check "but has its own pid namespace" test "$(readlink /proc/"$pid"/ns/pid)" != "$(printf '%s\n' "$out" | sed -n 4p)"
cfg "$B" "c['linux']['namespaces'][-2]['path'] = '/proc/$pid/ns/nope'"
check_match "a bad namespace path is named" 'linux.namespaces: unable to open /proc/[0-9]+/ns/nope' \
	"$(shim run --bundle "$B" bad 2>&1)"
check "the failed join left no state" test ! -e "$SHIM_ROOT/bad"
shim delete --force pod

cfg "$A" 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "user"]; del c["linux"]["uidMappings"]; del c["linux"]["gidMappings"]; c["process"]["args"] = ["probe", "info"]; c["process"]["user"] = {"uid": 1000, "gid": 1000}'
out=$(shim run --bundle "$A" nouserns 2>&1)
check_eq "no user namespace: host ids" "0 0 4294967295" "$(field uid_map "$out")"
check_eq "no user namespace: still no capabilities" 0000000000000000 "$(field CapBnd "$out")"
check_eq "no user namespace: seccomp and no_new_privs" "2 1" "$(field Seccomp "$out") $(field NoNewPrivs "$out")"
t_done
