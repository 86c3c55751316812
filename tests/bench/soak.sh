#!/bin/sh
# Soak (make bench; docs/bench.md): the real init as PID 1 of a PID + mount
# namespace (the namespace tier's harness) with 20 services that all exit
# at once and are restarted without delay, until 10,000 restarts in all
# (KEEL_SOAK_RESTARTS) or a time bound (KEEL_SOAK_SECONDS, default 600).
# Reports PID 1's RSS and fd count after a warm-up and at the end (both with
# the services stopped, so no instance is mid-restart), and their peak while
# sampled; exits non-zero only when init could not be run or died.
# Usage: tests/bench/soak.sh
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ns/sup_lib.sh"

trap 'exit 143' TERM INT # so sup_lib.sh's EXIT trap cleans up
N=${KEEL_SOAK_RESTARTS:-10000}
LIMIT=${KEEL_SOAK_SECONDS:-600}
for i in $(seq -w 1 20); do
	bundle services "crash$i" 'echo crash; exit 1' 'restart-delay = 0
restart-limit = 0
log-buffer = 4K'
done
rss() { sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' /proc/$SUP_INIT_PID/status; }
fds() { ls /proc/$SUP_INIT_PID/fd | wc -l; }
# Sum of the restart counters; a refused control client (PID 1 bounds each
# client's time, and the host is busy) keeps the previous value.
restarts() {
	n=$(ctl status --json 2>/dev/null | grep -o '"restarts":[0-9]*' | cut -d: -f2 |
		awk '{ s += $1 } END { print s + 0 }')
	[ "$n" -gt "${last_restarts:-0}" ] && last_restarts=$n
	echo "${last_restarts:-0}"
}

boot keel.echo=0 || { echo "soak: init did not start"; exit 1; }
all_restarted() { [ "$(ctl status --json | grep -o '"restarts":[1-9]' | wc -l)" -eq 20 ]; }
wait_for 120 all_restarted ||
	{ echo "soak: the 20 services never restarted"; exit 1; }
# settled: all 20 stopped, so no instance's pipes are open while counting.
# A stop is asked again while a service is not down: on a busy host PID 1
# may refuse a slow control client.
all_down() {
	up=$(ctl status 2>/dev/null | awk '$1 ~ /^crash/ && $3 != "down" { print $1 }')
	[ -z "$up" ] && ctl status >/dev/null 2>&1 && return 0
	for s in $up; do ctl stop "$s" >/dev/null 2>&1; done
	return 1
}
settled() {
	wait_for 60 all_down || echo "soak: services did not all stop"
	rss_settled=$(rss) fds_settled=$(fds)
}
sleep 5 # warm-up: every ring full, every table at its size
settled
rss0=$rss_settled fds0=$fds_settled
for i in $(seq -w 1 20); do ctl start "crash$i" >/dev/null 2>&1; done
restarts >/dev/null
r0=$last_restarts peak_rss=$(rss) peak_fds=$(fds)
t0=$(date +%s)
while restarts >/dev/null && r=$last_restarts && [ "$((r - r0))" -lt "$N" ] && [ $(($(date +%s) - t0)) -lt "$LIMIT" ]; do
	kill -0 "$SUP_INIT_PID" 2>/dev/null || { echo "soak: init died"; exit 1; }
	v=$(rss) f=$(fds)
	[ "$v" -gt "$peak_rss" ] && peak_rss=$v
	[ "$f" -gt "$peak_fds" ] && peak_fds=$f
	sleep 2
done
secs=$(($(date +%s) - t0))
done=$((r - r0))
settled
rss1=$rss_settled fds1=$fds_settled
poweroff_wait 60 || echo "soak: poweroff did not finish in 60 s"
echo "# soak: 20 crashing services, $done restarts in ${secs} s (goal $N, bound ${LIMIT} s)"
printf '%-22s %10s %10s %10s\n' "PID 1" warm-up peak end
echo "(warm-up and end: all 20 stopped; peak: sampled every 2 s while crash-looping)"
printf '%-22s %10s %10s %10s\n' "VmRSS (kB)" "$rss0" "$peak_rss" "$rss1"
printf '%-22s %10s %10s %10s\n' "open fds" "$fds0" "$peak_fds" "$fds1"
echo "soak: RSS growth $((rss1 - rss0)) kB, fd growth $((fds1 - fds0)) over $done restarts"
