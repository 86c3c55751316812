#!/bin/sh
# keelctl exec, QEMU tier: on the real image, commands run inside the httpd
# service's container (its busybox applets) from the debug shell. Output,
# error and exit status come back apart; stdin passes; from PID 1's side the
# exec'd process has httpd's namespaces, cgroup v2, non-zero host uid,
# capability sets, seccomp filter and no_new_privs; -t gives it a pty; the
# errors (unknown service, finished onboot job, no command) are one line.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
vm_need_image
[ "$VM_TIMEOUT" -ge 120 ] || VM_TIMEOUT=120

FIELDS='^(Uid|Gid|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):'
# The exec'd usleep found by its unique argument, compared with httpd's main pid.
SIDE='main=$(keelctl status --json httpd | sed -n "s/.*\"pid\":\([0-9]*\).*/\1/p")
keelctl exec httpd usleep 31234567 & bg=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	p=; for d in /proc/[0-9]*; do
		[ "$(tr "\0" " " <$d/cmdline 2>/dev/null)" = "usleep 31234567 " ] && p=${d#/proc/}
	done
	[ -n "$p" ] && break; sleep 1
done
echo "found=${p:-none} main=$main"
for n in user mnt pid net ipc uts cgroup; do
	[ "$(readlink /proc/$p/ns/$n)" = "$(readlink /proc/$main/ns/$n)" ] || echo "ns $n differs"
done
cmp -s /proc/$p/cgroup /proc/$main/cgroup && echo "cgroup same: $(cat /proc/$p/cgroup)"
grep -E "'"$FIELDS"'" /proc/$p/status >/tmp/x.st; grep -E "'"$FIELDS"'" /proc/$main/status >/tmp/m.st
cmp -s /tmp/x.st /tmp/m.st && echo "status same"
awk "/^Uid:/ { print \"host uid \" \$2 }" /tmp/x.st
kill $p; wait $bg; echo "killed rc=$?"'

vm_boot exec \
	--cmd "keelctl exec httpd sh -c 'echo out; echo err >&2; exit 3' 2>/tmp/err; echo rc=\$?; echo stderr=\$(cat /tmp/err)" \
	--cmd 'echo x | keelctl exec httpd cat' \
	--cmd "$SIDE" \
	--cmd 'keelctl exec httpd grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status' \
	--cmd "keelctl exec -t httpd sh -c 'tty; exit 4'; echo rc=\$?" \
	--cmd 'keelctl exec nosuch true; echo rc=$?' \
	--cmd 'keelctl exec 20-data true; echo rc=$?' \
	--cmd 'keelctl exec httpd; echo rc=$?' \
	--end poweroff
rc=$?
check_eq "boot, steps and power-off" 0 "$rc"
[ "$rc" = 0 ] || vm_diag exec

check_eq "stdout, exit status 3, stderr apart" "out
rc=3
stderr=err" "$(vm_out exec 1)"
check_eq "stdin passes through" "x" "$(vm_out exec 2)"
side=$(vm_out exec 3)
printf '%s\n' "$side" | sed 's/^/# /'
check_match "the exec'd process is found" '^found=[0-9]+ main=[0-9]+$' "$side"
check "same user/mnt/pid/net/ipc/uts/cgroup namespaces as httpd's main pid" \
	sh -c '! printf "%s\n" "$1" | grep -q "ns .* differs"' sh "$side"
check_match "same cgroup v2 as httpd's main pid" '^cgroup same: 0::/.+' "$side"
check_match "same uid/gid, capability sets, no_new_privs, seccomp as httpd's main pid" '^status same$' "$side"
check_match "non-zero host uid" '^host uid [1-9][0-9]*$' "$side"
check_match "killed by SIGTERM: the caller gets 143" '^killed rc=143$' "$side"
check_eq "inside: no_new_privs and seccomp filter mode" "NoNewPrivs:	1
Seccomp:	2" "$(vm_out exec 4)"
check_match "-t: a pty inside the container, exit status 4" '^/dev/pts/[0-9]+ rc=4 $' \
	"$(vm_out exec 5 | tr -d '\r' | tr '\n' ' ')"
check_eq "unknown service: one line, exit 1" "keelctl: no such service: nosuch
rc=1" "$(vm_out exec 6)"
check_eq "finished onboot job: one line, exit 1" "keelctl: 20-data is not running (done): nothing to exec in
rc=1" "$(vm_out exec 7)"
check_match "no command: usage, exit 2" 'keelctl: exec: a command is required.*rc=2' \
	"$(vm_out exec 8 | tr '\n' ' ')"
t_done
