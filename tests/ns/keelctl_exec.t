#!/bin/sh
# keelctl exec against the real init (namespace tier): a command run in a
# running service's container gets its stdio and exit status back to the
# caller, and from the host side it is in the service's namespaces and
# cgroup, as its unprivileged host uid, with its capability sets, seccomp
# filter and no_new_privs. Two services: `plain` (own user namespace mapping
# root to an unprivileged host range, no caps) and `capped` (no user
# namespace, uid 4242 with CAP_NET_BIND_SERVICE ambient, the DHCP client's
# shape). Errors: unknown, stopped and finished services, no command, bad
# option, runtime missing, not root. -e/-u/-w; -t (a pty inside the
# container) with a pipe and on a terminal (raw mode, resize, restore).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

if [ -z "$SUP_BASE" ]; then
	skip "keelctl exec" "runc-shim spec unavailable"
	t_done
fi
# Our own copy of the runtime, so it can be taken away for one check.
cp "$RUNTIME" "$SUP_T/runc-shim"
RUNTIME=$SUP_T/runc-shim
HOSTID=$((300000 + $$ % 1000 * 65536))
plain_and_capped "$HOSTID"
bundle services gone "$IDLE"
bundle onboot 01-job 'exit 0'
for b in plain capped; do
	for a in readlink grep id pwd tty stty; do ln -s busybox "$SPEC/services/$b/rootfs/bin/$a"; done
done

# ectl ARGS...: keelctl in init's mount and pid namespaces, as on its console
# (runc-shim reads /proc/self, which init's procfs only shows its own pids).
ectl() {
	nsenter -t "$SUP_INIT_PID" -m -p "$BIN/keelctl" "$@"
}

check "init boots" boot
check "plain ready" wait_for 10 is_state plain ready
check "capped ready" wait_for 10 is_state capped ready
check "gone ready" wait_for 10 is_state gone ready
check "onboot job done" wait_for 10 is_state 01-job done

# Output, error and exit status come back separately.
ectl exec plain sh -c 'echo out; echo err >&2; exit 3' >"$SUP_T/out" 2>"$SUP_T/err"
rc=$?
check_eq "exec: stdout" "out" "$(cat "$SUP_T/out")"
check_eq "exec: stderr" "err" "$(cat "$SUP_T/err")"
check_eq "exec: exit status 3" 3 "$rc"
check_eq "exec: stdin passes through" "x" "$(echo x | ectl exec plain cat)"
ectl exec plain sh -c 'kill -KILL $$'
check_eq "exec: killed by SIGKILL -> 137" 137 "$?"
check_eq "exec: options after NAME are the command's" "-t -e y" "$(ectl exec plain sh -c 'echo "$@"' sh -t -e y 2>&1)"

# PID 1 relays nothing: with an exec blocked on a full stdout pipe nobody
# reads, PID 1 holds no more fds than before and answers at once.
fds_before=$(ls /proc/"$SUP_INIT_PID"/fd | wc -l)
(ectl exec plain sh -c 'while :; do echo flood; done' | sleep 4) 2>/dev/null &
blocked=$!
sleep 1.5
t0=$(date +%s%N)
ctl status plain >/dev/null
ms=$((($(date +%s%N) - t0) / 1000000))
fds_during=$(ls /proc/"$SUP_INIT_PID"/fd | wc -l)
check "a blocked exec: status answers in ${ms} ms (< 1000)" [ "$ms" -lt 1000 ]
check_eq "a blocked exec: PID 1 holds no fd for it" "$fds_before" "$fds_during"
wait "$blocked"

# inside NAME: the exec'd shell's view of itself.
st=$(ectl exec plain cat /proc/self/status)
check_match "inside: Seccomp 2 (filter)" '^Seccomp:[[:space:]]+2$' "$st"
check_match "inside: NoNewPrivs 1" '^NoNewPrivs:[[:space:]]+1$' "$st"
check_match "inside: root in the service's user namespace" '^Uid:[[:space:]]+0[[:space:]]+0' "$st"

# descendants PID: every process below PID, one a line.
descendants() {
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}

# host_view NAME N HOST-UID: runs a marked sleep through keelctl exec, finds
# it on the host among the caller's descendants (in the service's pid
# namespace) and compares what the host sees of it with the main pid; then
# kills it (the caller gets 128+15).
host_view() {
	name=$1 mark=$((7000 + $$ % 1000))$2 main=
	# keelctl status gives the pid in init's pid namespace: NSpid's 2nd.
	for p in $(descendants "$SUP_INIT_PID"); do
		[ "$(awk '/^NSpid:/ {print $3}' /proc/"$p"/status 2>/dev/null)" = "$(field "$name" pid)" ] &&
			main=$p
	done
	ectl exec "$name" sleep "$mark" &
	bg=$!
	found=
	for _ in $(seq 50); do
		for p in $(descendants $bg); do
			[ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" = "sleep $mark " ] || continue
			[ "$(readlink "/proc/$p/ns/pid")" = "$(readlink /proc/"$main"/ns/pid)" ] && found=$p
		done
		[ -n "$found" ] && break
		sleep 0.1
	done
	if [ -z "$found" ]; then
		not_ok "$name: the exec'd process found from the host"
		kill "$bg" 2>/dev/null; wait "$bg"
		return
	fi
	ok "$name: the exec'd process found from the host (pid $found, main $main)"
	same=yes
	for n in user mnt pid net ipc uts cgroup; do
		a=$(readlink /proc/"$found"/ns/$n) b=$(readlink /proc/"$main"/ns/$n)
		[ "$a" = "$b" ] || { same=no; diag "$n: exec $a, main $b"; }
	done
	check_eq "$name: same user/mnt/pid/net/ipc/uts/cgroup namespaces as the main pid" yes "$same"
	check_eq "$name: same cgroup as the main pid" "$(cat /proc/"$main"/cgroup)" "$(cat /proc/"$found"/cgroup)"
	fields='^(Uid|Gid|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):'
	check_eq "$name: same host uid/gid, capability sets, no_new_privs, seccomp as the main pid" \
		"$(grep -E "$fields" /proc/"$main"/status)" "$(grep -E "$fields" /proc/"$found"/status)"
	check_match "$name: runs as host uid $3" "^Uid:[[:space:]]+$3[[:space:]]+$3[[:space:]]+$3[[:space:]]+$3\$" \
		"$(cat /proc/"$found"/status)"
	kill -TERM "$found"
	wait "$bg"
	check_eq "$name: killed by SIGTERM -> 143" 143 "$?"
}
host_view plain 1 "$HOSTID"
host_view capped 2 4242
check_match "capped: CAP_NET_BIND_SERVICE effective inside" '^CapEff:[[:space:]]+0+400$' \
	"$(ectl exec capped cat /proc/self/status)"

# Options: -e, -u, -w.
got=$(ectl exec -e FOO=bar -u 1000:1001 -w /tmp plain sh -c 'echo "$FOO $(pwd) $(id -u):$(id -g)"' 2>&1)
check_eq "exec -e -u -w: env, uid:gid, cwd" "bar /tmp 1000:1001" "$got"

# -t: a pty from the container's devpts; the exit status still passes.
got=$(ectl exec -t plain sh -c 'tty; exit 5' </dev/null 2>&1)
rc=$?
check_match "exec -t: the command's stdin is a pty" '^/dev/pts/[0-9]+' "$(printf '%s' "$got" | tr -d '\r')"
check_eq "exec -t: exit status 5" 5 "$rc"

# -t with a pipe: the command reads the data, then EOF (VEOF on its pty).
mkdir "$SUP_T/tmpd"
got=$(echo x | TMPDIR=$SUP_T/tmpd timeout 10 nsenter -t "$SUP_INIT_PID" -m -p "$BIN/keelctl" exec -t plain cat 2>&1)
rc=$?
check_eq "exec -t: piped input reaches the command, then EOF ends it" "0 x" "$rc $(printf '%s' "$got" | tr -d '\r' | tail -n 1)"
TMPDIR=$SUP_T/tmpd ectl exec -t plain nosuchcmd >/dev/null 2>&1
check_eq "exec -t: the console socket's temp dir is removed (also after a failure)" "" "$(ls -A "$SUP_T/tmpd")"

# -t on a terminal: raw mode, typed input, window size at start and on
# SIGWINCH, the exit status, and our terminal's settings restored after.
python3 - "$SUP_INIT_PID" "$BIN/keelctl" <<'PY'
import fcntl, os, select, struct, subprocess, sys, termios, time
def ok(good, desc, extra=""):
    print(("ok - " if good else "not ok - ") + "exec -t on a terminal: " + desc + ("" if good else f" ({extra})"))
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 111, 0, 0))
before = termios.tcgetattr(slave)
p = subprocess.Popen(["nsenter", "-t", sys.argv[1], "-m", "-p", sys.argv[2], "exec", "-t", "plain", "sh"],
                     stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                     preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
out = b""
def until(text, secs=10):
    global out
    end = time.time() + secs
    while text not in out and time.time() < end:
        if select.select([master], [], [], 0.2)[0]:
            try:
                out += os.read(master, 4096)
            except OSError:
                break
    return text in out
os.write(master, b"stty size; echo sum=$((6*7))\n")
ok(until(b"33 111") and until(b"sum=42"), "typed command ran, window size 33x111 passed at start", out[-200:])
ok(not termios.tcgetattr(slave)[3] & termios.ICANON, "keelctl put its terminal in raw mode")
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 44, 122, 0, 0))
time.sleep(0.5)
os.write(master, b"stty size\n")
ok(until(b"44 122"), "a resize (SIGWINCH) reaches the command's pty", out[-200:])
os.write(master, b"exit 7\n")
try:
    rc = p.wait(10)
except subprocess.TimeoutExpired:
    p.kill(); rc = p.wait()
ok(rc == 7, "exit status 7", rc)
ok(termios.tcgetattr(slave) == before, "terminal settings restored at exit")
PY

# Only root: the control socket's rule.
out=$(nsenter -t "$SUP_INIT_PID" -m -p -S 65534 -G 65534 "$BIN/keelctl" exec plain true 2>&1)
rc=$?
check_match "not root: refused" 'permission denied' "$out"
check "not root: nonzero exit ($rc)" [ "$rc" -ne 0 ]

# Errors: one line each, nonzero exit.
err_case() { # DESC EXPECTED-STATUS REGEX ARGS...
	desc=$1 want=$2 re=$3; shift 3
	out=$(ectl "$@" 2>&1 </dev/null); rc=$?
	check_match "$desc: message" "$re" "$out"
	if [ "$want" = nonzero ]; then check "$desc: nonzero exit ($rc)" [ "$rc" -ne 0 ]
	else check_eq "$desc: exit $want" "$want" "$rc"; fi
}
err_case "unknown service" 1 '^keelctl: no such service: nosuch$' exec nosuch true
ctl stop gone >/dev/null
wait_for 10 is_state gone down
err_case "stopped service" 1 '^keelctl: gone is not running \(down\): nothing to exec in$' exec gone true
err_case "finished onboot job" 1 '^keelctl: 01-job is not running \(done\)' exec 01-job true
err_case "no command" 2 '^keelctl: exec: a command is required$' exec plain
err_case "no name" 2 'a service name is required' exec
err_case "bad option" 2 'unknown option' exec -x plain true
err_case "command not found in the container" nonzero 'nosuchcmd' exec plain nosuchcmd
mv "$RUNTIME" "$RUNTIME.away"
err_case "runtime missing" 1 "^keelctl: exec: unable to run $RUNTIME: No such file or directory\$" exec plain true
mv "$RUNTIME.away" "$RUNTIME"
check_eq "exec works again with the runtime back" "back" "$(ectl exec plain echo back)"
if poweroff_wait 10; then ok "poweroff"; else
	not_ok "poweroff"; tail -n 15 "$SUP_OUT" | sed 's/^/#   /'
fi
t_done
