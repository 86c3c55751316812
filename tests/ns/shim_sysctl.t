#!/bin/sh
# linux.sysctl: written before /proc/sys goes read-only (Podman always sends
# net.ipv4.ping_group_range), and only namespaced ones accepted, with
# runc's rules: IPC ones need an IPC namespace, net.* a network namespace
# that is not the host's, kernel.domainname a UTS namespace.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
host_ping=$(cat /proc/sys/net/ipv4/ping_group_range)
host_shmmax=$(cat /proc/sys/kernel/shmmax)
cfg "$B" 'c["linux"]["sysctl"] = {"net.ipv4.ping_group_range": "0 1000", "kernel.shmmax": "123456789", "fs.mqueue.msg_max": "17", "kernel.domainname": "keel.example"}
c["process"]["args"] = ["sh", "-c", "cat /proc/sys/net/ipv4/ping_group_range /proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max /proc/sys/kernel/domainname; echo x > /proc/sys/kernel/shmmax 2>/dev/null || echo ro"]'
check_match "default config keeps /proc/sys read-only" '"/proc/sys"' "$(cat "$B/config.json")"
out=$(cd "$B" && shim run s1 2>"$SHIM_T/s1.err")
rc=$?
grep -v -e "no writable cgroup" -e "can.t create" "$SHIM_T/s1.err" | sed "s/^/# /"
check_eq "run with namespaced sysctls exits 0" 0 "$rc"
check_eq "net.ipv4.ping_group_range set in the container's netns" "0	1000" "$(printf '%s\n' "$out" | sed -n 1p)"
check_eq "kernel.shmmax set in the container's IPC ns" 123456789 "$(printf '%s\n' "$out" | sed -n 2p)"
check_eq "fs.mqueue.msg_max set" 17 "$(printf '%s\n' "$out" | sed -n 3p)"
check_eq "kernel.domainname set in the container's UTS ns" keel.example "$(printf '%s\n' "$out" | sed -n 4p)"
check_eq "/proc/sys is read-only afterwards" ro "$(printf '%s\n' "$out" | sed -n 5p)"
check_eq "host ping_group_range untouched" "$host_ping" "$(cat /proc/sys/net/ipv4/ping_group_range)"
check_eq "host shmmax untouched" "$host_shmmax" "$(cat /proc/sys/kernel/shmmax)"

# refused KEY VALUE EDIT REGEX
refused() {
	cfg "$B" "c['linux']['sysctl'] = {'$2': '$3'}; $4"
	err=$(shim create --bundle "$B" bad 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 1 ] && printf '%s\n' "$err" | grep -Eq -- "$5" && [ ! -e "$SHIM_ROOT/bad" ]; then
		ok "$1"
	else
		not_ok "$1"; diag "rc=$rc err=$err"; shim delete --force bad 2>/dev/null
	fi
}
drop_ns() { echo "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != '$1']"; }
refused "a global sysctl is refused" vm.swappiness 10 "" \
	'linux.sysctl.vm.swappiness: not in a separate kernel namespace'
refused "kernel.hostname conflicts with the hostname field" kernel.hostname x "" \
	'linux.sysctl.kernel.hostname: conflicts with the "hostname" field'
refused "net.* without a network namespace is refused" net.ipv4.ip_forward 1 "$(drop_ns network)" \
	"linux.sysctl.net.ipv4.ip_forward: not allowed in the host's network namespace"
refused "net.* in the host's network namespace (by path) is refused" net.ipv4.ip_forward 1 \
	"[n.update(path='/proc/$$/ns/net') for n in c['linux']['namespaces'] if n['type'] == 'network']" \
	"linux.sysctl.net.ipv4.ip_forward: not allowed in the host's network namespace"
refused "IPC sysctls without an IPC namespace are refused" kernel.shmmax 1 "$(drop_ns ipc)" \
	"linux.sysctl.kernel.shmmax: not allowed in the host's IPC namespace"
refused "fs.mqueue.* without an IPC namespace is refused" fs.mqueue.msg_max 1 "$(drop_ns ipc)" \
	"linux.sysctl.fs.mqueue.msg_max: not allowed in the host's IPC namespace"
refused "kernel.domainname without a UTS namespace is refused" kernel.domainname x \
	"$(drop_ns uts); c.pop('hostname', None)" 'linux.sysctl.kernel.domainname: not in a separate kernel namespace'
check_eq "host ping_group_range still untouched" "$host_ping" "$(cat /proc/sys/net/ipv4/ping_group_range)"
t_done
