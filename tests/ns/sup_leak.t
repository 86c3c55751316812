#!/bin/sh
# 1000 restarts (KEEL_SUP_RESTARTS) of a service that exits at once leave
# PID 1's fd count and RSS flat and no zombies; prints the restart cycle time
# (exit -> deleted -> created -> started: restart latency without backoff).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

N=${KEEL_SUP_RESTARTS:-1000}
# A 4 KiB ring is full after the warm-up, so any later growth is a leak.
# healthy-after = 1ms: every run counts as healthy, so restart-delay = 0
# stays immediate (otherwise the floor after 10 quick crashes applies).
bundle services flap 'echo flap' 'restart-delay = 0
restart-limit = 0
healthy-after = 1ms
log-buffer = 4K'
bundle services steady "$IDLE"

restarts_at_least() { [ "$(field flap restarts)" -ge "$1" ]; }
rss() { sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' /proc/$SUP_INIT_PID/status; }
fds() { ls /proc/$SUP_INIT_PID/fd | wc -l; }
zombies() { # children of init in state Z
	for st in /proc/[0-9]*/stat; do
		sed -n "s/^[0-9]* ([^)]*) Z $SUP_INIT_PID .*/z/p" "$st" 2>/dev/null
	done | wc -l
}

check "init boots" boot keel.echo=0
check "warm-up: 100 restarts" wait_for 60 restarts_at_least 100
ctl stop flap >/dev/null
check "flap stops" wait_for 10 is_state flap down
fds0=$(fds) rss0=$(rss) r0=$(field flap restarts)
ls -l /proc/$SUP_INIT_PID/fd >"$SUP_T/fds0"
t0=$(date +%s%N)
ctl start flap >/dev/null
check "$N more restarts" wait_for $((N / 3 + 60)) restarts_at_least $((r0 + N))
t1=$(date +%s%N)
ctl stop flap >/dev/null
check "flap stops again" wait_for 10 is_state flap down
r1=$(field flap restarts)
fds1=$(fds) rss1=$(rss)
diag "restart cycle: $((((t1 - t0) / 1000) / (r1 - r0))) us per restart over $((r1 - r0)) restarts"
check_eq "PID 1 fd count is flat ($fds0 -> $fds1)" "$fds0" "$fds1"
if [ "$fds0" != "$fds1" ]; then
	diag "before:"; sed 's/^/#   /' "$SUP_T/fds0"
	diag "after:"; ls -l /proc/$SUP_INIT_PID/fd | sed 's/^/#   /'
fi
check "PID 1 RSS is flat: $rss0 kB -> $rss1 kB (<= 16 kB growth)" [ "$rss1" -le $((rss0 + 16)) ]
check_eq "no zombies" 0 "$(zombies)"
check_eq "the steady service was not disturbed" "ready" "$(state steady)"
check "poweroff" poweroff_wait 20
t_done
