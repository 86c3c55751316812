#!/bin/sh
# Service output shown to root (console echo, keelctl logs) has terminal
# control sequences neutralised: ESC, other C0 but tab/newline, DEL and C1
# appear as \xNN; UTF-8 text passes; NUL bytes survive keelctl logs (the
# ring and the protocol are binary-safe). logs -f followers have their own
# slots: a crowd of them (some never reading) cannot block status. Running
# out of fds pauses accept() and fails a service start into its backoff
# instead of spinning.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

ESC=$(printf '\033')
bundle services esc "printf 'red \\033[31mX\\033[0m bell \\007 cr \\r c1 \\302\\233 nul \\000 utf8 h\\303\\251 end\\n'; $IDLE"
bundle services flood 'while :; do echo "flood flood flood flood flood flood flood flood"; done' 'echo = no'
bundle services other "$IDLE"
bundle services crasher 'exit 1' 'restart-delay = 100ms
restart-delay-max = 300ms
restart-limit = 0
echo = no'

check "init boots" boot
check "esc is ready" wait_for 10 is_state esc ready
check "its line is echoed" wait_for 5 grep -q '^esc: red' "$SUP_OUT"
echoed=$(grep -a '^esc: red' "$SUP_OUT")
check_eq "console echo: controls escaped, UTF-8 kept" \
	'esc: red \x1b[31mX\x1b[0m bell \x07 cr \x0d c1 \xc2\x9b nul  utf8 hé end' "$(printf '%s' "$echoed" | tr -d '\000')"
check "console echo: no raw ESC byte from the service" sh -c "! grep -a '^esc:' '$SUP_OUT' | grep -q '$ESC'"
logs=$(ctl logs esc | grep -a red)
check_eq "keelctl logs: controls escaped the same way" \
	'red \x1b[31mX\x1b[0m bell \x07 cr \x0d c1 \xc2\x9b nul  utf8 hé end' "$(printf '%s' "$logs" | tr -d '\000')"
check_eq "keelctl logs: the NUL byte survives" 1 "$(ctl logs esc | tr -dc '\000' | wc -c)"

# 12 followers for 8 follower slots, 4 of them stopped (never reading).
pids=
for i in $(seq 12); do
	ctl logs -f flood >/dev/null 2>"$SUP_T/follower.$i" &
	pids="$pids $!"
done
sleep 1
for p in $(echo $pids | cut -d' ' -f1-4); do kill -STOP "$p" 2>/dev/null; done
sleep 1
refused=$(cat "$SUP_T"/follower.* | grep -c 'too many logs -f followers')
check_eq "followers beyond the 8 slots are refused" 4 "$refused"
worst=0 failed=0
for i in $(seq 10); do
	t0=$(date +%s%N)
	timeout 2 nsenter -t "$SUP_INIT_PID" -m "$BIN/keelctl" status other >/dev/null || failed=$((failed + 1))
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$ms" -gt "$worst" ] && worst=$ms
done
check_eq "status answered 10 times with every follower slot taken" 0 "$failed"
check "... each within 1 s (slowest $worst ms)" [ "$worst" -lt 1000 ]
for p in $pids; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
wait $pids 2>/dev/null

# EMFILE: PID 1's fd limit cut to what it holds, so accept() fails. The
# listener stays readable; PID 1 must pause accepting, not spin.
cpu() { awk '{print $14 + $15}' /proc/$SUP_INIT_PID/stat; }
ctl_quiet stop flood # its output would keep PID 1 busy anyway
wait_for 10 is_state flood down
soft=$(prlimit --pid "$SUP_INIT_PID" --nofile --raw --noheadings -o SOFT)
sleep 1 # PID 1 closes the killed followers' sockets
free=0
while [ -e /proc/$SUP_INIT_PID/fd/$free ]; do free=$((free + 1)); done
prlimit --pid "$SUP_INIT_PID" --nofile=$free: # the lowest free fd is now over the limit
for i in 1 2 3; do timeout 10 nsenter -t "$SUP_INIT_PID" -m "$BIN/keelctl" status >/dev/null 2>&1 & done
check "accept hits EMFILE, reported once" wait_for 8 grep -q 'control socket: accept: .*pausing' "$SUP_OUT"
c0=$(cpu)
sleep 2
ticks=$(($(cpu) - c0))
check "EMFILE on accept and pipe2 does not spin the loop ($ticks ticks of CPU in 2 s)" [ "$ticks" -lt 10 ]
prlimit --pid "$SUP_INIT_PID" --nofile=$soft:
check "once fds are back, status answers" ctl_quiet status other
check_match "the crash-looping service met EMFILE and went on with its backoff" \
	'No file descriptors available|Too many open files' "$(ctl logs crasher)"
r1=$(field crasher restarts); sleep 1.5
check "... and restarts again" [ "$(field crasher restarts)" -gt "$r1" ]
check "poweroff" poweroff_wait 20
t_done
