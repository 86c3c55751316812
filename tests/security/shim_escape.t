#!/bin/sh
# Escape attempts from inside a container made from keel's default config
# (`runc-shim spec`): every one must be denied. Controls run a few of the
# same attempts in a deliberately privileged container, to prove the probe
# would notice an attempt that works.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ns/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
# An unprivileged user inside, as most services are.
cfg "$B" 'c["process"]["user"] = {"uid": 1000, "gid": 1000}'

attempts="mount umount unshare-user clone-userns setns ptrace keyctl proc-sys sysrq sys-write
read-masked exe-write chroot module reboot clock raw-socket mknod bpf setuid-root hostname"
for a in $attempts; do
	cfg "$B" "c['process']['args'] = ['probe', 'try', '$a']"
	out=$(shim run --bundle "$B" "try-$a" 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && printf '%s' "$out" | grep -q "^$a: denied"; then
		ok "as uid 1000: $a is denied ($(printf '%s' "$out" | sed -n 's/.*denied (\(.*\))/\1/p'))"
	else
		not_ok "as uid 1000: $a is denied"; diag "rc=$rc: $out"
	fi
done
# Container root (uid 0 inside, no capabilities) too; setuid(0) is no
# escape for it.
cfg "$B" 'c["process"]["user"] = {"uid": 0, "gid": 0}; c["process"]["args"] = ["probe", "try"] + "'"$(echo $attempts)"'".split(); c["process"]["args"].remove("setuid-root")'
out=$(shim run --bundle "$B" try-root 2>&1)
check_eq "as container root: every attempt denied" 0 "$(printf '%s\n' "$out" | grep -vc ': denied')"

# setuid binary + no_new_privs: a setuid-root (container root) file does not
# raise uid 1000's euid; without no_new_privs it does (control).
cp "$PROBE" "$B/rootfs/bin/suid-probe"
chown 100000:100000 "$B/rootfs/bin/suid-probe"
chmod 4755 "$B/rootfs/bin/suid-probe"
cfg "$B" 'c["process"]["user"] = {"uid": 1000, "gid": 1000}; c["process"]["args"] = ["suid-probe", "info"]'
check_eq "setuid binary under no_new_privs: euid stays 1000" 1000 \
	"$(field euid "$(shim run --bundle "$B" suid 2>&1)")"
cfg "$B" 'c["process"]["noNewPrivileges"] = False'
check_eq "control: without no_new_privs the setuid bit works" 0 \
	"$(field euid "$(shim run --bundle "$B" suid2 2>&1)")"

# fd leaks: the caller's open fds (not close-on-exec) do not reach the container.
cfg "$B" 'c["process"]["args"] = ["probe", "info"]; c["process"]["noNewPrivileges"] = True'
out=$(shim run --bundle "$B" fds 5</ 6</etc/passwd 7>"$SHIM_T/leak" 2>&1)
check_eq "inherited fds 5 6 7 do not leak in" "0 1 2 " "$(field fds "$out")"

# CVE-2024-21626: process.cwd through a leaked or preserved host directory fd.
cfg "$B" 'c["process"]["cwd"] = "/proc/self/fd/5"'
out=$(shim run --bundle "$B" cwd1 5</ 2>&1)
check_match "cwd via a leaked fd: refused" 'process.cwd: chdir /proc/self/fd/5' "$out"
cfg "$B" 'c["process"]["cwd"] = "/proc/self/fd/3"'
out=$(shim run --preserve-fds 1 --bundle "$B" cwd2 3</ 2>&1)
check_match "cwd via a preserved host fd: refused as outside" 'process.cwd: /proc/self/fd/3 is outside the container' "$out"
check_eq "no state left after refused runs" "" "$(ls "$SHIM_ROOT")"

# CVE-2019-5736: the container must not be able to overwrite the runtime
# binary reached through /proc/PID/exe. In a user namespace that maps
# neither the binary's owner nor a group that may write it, the kernel
# refuses (checked with the container's host ids); otherwise runc-shim runs
# the container's init from a sealed memfd copy (checked below with a
# config that maps host root).
cfg "$B" 'c["process"]["cwd"] = "/"; c["process"]["args"] = ["probe", "try", "exe-write"]'
shim create --bundle "$B" --pid-file "$SHIM_T/pid" exe >"$SHIM_T/exe.out" 2>&1
pid=$(cat "$SHIM_T/pid")
exe=$(readlink /proc/"$pid"/exe)
check_eq "userns init runs the binary itself" "$(readlink -f "$BIN/runc-shim")" "$exe"
check_match "as the container's host ids (100000+), the binary cannot be opened for writing" \
	'denied.*Permission denied' "$(setpriv --reuid=100000 --regid=100000 --clear-groups /usr/bin/python3 -c "
try: open('/proc/$pid/exe', 'r+b'); print('ALLOWED')
except OSError as e: print('denied', e.strerror)
try: open('$exe', 'r+b'); print('ALLOWED')
except OSError as e: print('denied', e.strerror)" 2>&1 | sort -u)"
shim start exe
for _ in $(seq 50); do grep -q exe-write "$SHIM_T/exe.out" && break; sleep 0.1; done
check_match "inside: /proc/self/exe cannot be opened for writing" '^exe-write: denied' "$(cat "$SHIM_T/exe.out")"
shim delete --force exe

cp "$B/config.json" "$SHIM_T/userns.json"
cfg "$B" 'c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 0, "size": 1}, {"containerID": 1, "hostID": 100001, "size": 65535}]'
shim create --bundle "$B" --pid-file "$SHIM_T/pid" exe2 >/dev/null 2>&1
pid=$(cat "$SHIM_T/pid")
check_match "host root mapped in: the init runs from a sealed memfd" '^/memfd:runc-shim' "$(readlink /proc/"$pid"/exe)"
check_match "writing /proc/PID/exe of that init fails" 'denied' \
	"$(python3 -c "
import os
try: os.open('/proc/$pid/exe', os.O_WRONLY); print('ALLOWED')
except OSError as e: print('denied', e.strerror)")"
check_match "growing the sealed copy fails too" 'denied' \
	"$(python3 -c "
import os
fd = os.open('/proc/$pid/exe', os.O_RDONLY)
try: os.ftruncate(fd, 1); print('ALLOWED')
except OSError as e: print('denied', e.strerror)")"
shim delete --force exe2
cp "$SHIM_T/userns.json" "$B/config.json"

# Controls: the same probe in a privileged container (no user namespace, all
# capabilities, no seccomp) gets through — so "denied" above is real.
cfg "$B" 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "user"]; del c["linux"]["uidMappings"]; del c["linux"]["gidMappings"]; del c["linux"]["seccomp"]; c["process"]["user"] = {"uid": 0, "gid": 0}; caps = ["CAP_SYS_ADMIN", "CAP_NET_RAW", "CAP_SYS_CHROOT"]; c["process"]["capabilities"] = {k: caps for k in ["bounding", "effective", "permitted"]}; c["process"]["args"] = ["probe", "try", "mount", "raw-socket", "chroot"]'
out=$(shim run --bundle "$B" control 2>&1)
check_eq "control: privileged container can mount, open raw sockets, chroot" 3 \
	"$(printf '%s\n' "$out" | grep -c ': ALLOWED')"
t_done
