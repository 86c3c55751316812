#!/bin/sh
# PID 1's memory with 20 services (each printing a little), and boot time to
# "keel: ready": the numbers docs/supervisor.md quotes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

for i in $(seq -w 1 20); do
	bundle services "svc$i" "echo svc$i started; echo >&3; $IDLE" 'ready = notify-fd 3'
done
rss() { sed -n "s/^$1:[^0-9]*\([0-9]*\).*/\1/p" /proc/$SUP_INIT_PID/status; }

check "init boots with 20 services" boot keel.echo=0
check "all 20 ready" wait_for 60 grep -q 'keel: ready' "$SUP_OUT"
check_eq "20 services ready" 20 "$(ctl status | grep -c ' ready ')"
diag "$(grep 'keel: ready' "$SUP_OUT")"
diag "PID 1 with 20 services: VmRSS $(rss VmRSS) kB, VmHWM $(rss VmHWM) kB, $(ls /proc/$SUP_INIT_PID/fd | wc -l) fds"
check "PID 1 RSS with 20 services under 2 MiB ($(rss VmRSS) kB)" [ "$(rss VmRSS)" -lt 2048 ]
check "poweroff" poweroff_wait 30
diag "poweroff of 20 services took $POWEROFF_MS ms"
t_done
