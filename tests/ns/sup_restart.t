#!/bin/sh
# Supervisor, namespace tier: a crashing service is restarted with growing
# delays (restart-delay doubling), then marked failed after restart-limit
# crashes in a row; keelctl start revives it. restart = on-failure / never,
# and start-timeout for a service that never signals readiness.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

bundle services crash 'echo crash run; exit 7' 'restart-delay = 200ms
restart-limit = 4 final'
bundle services persist 'echo persist run; exit 3' 'restart-delay = 100ms
restart-delay-max = 300ms
restart-limit = 2'
bundle services zero 'exit 1' 'restart-delay = 0
restart-limit = 0'
bundle services onfail-ok 'echo clean exit; exit 0' 'restart = on-failure'
bundle services never 'exit 9' 'restart = never'
bundle services mute "$IDLE" 'ready = notify-fd 3
start-timeout = 500ms
restart-delay = 5s'

check "init boots" boot
check "crash loop ends in failed" wait_for 20 is_state crash failed
logs=$(ctl logs crash)
delays=$(printf '%s\n' "$logs" | sed -n 's/^\[keel\] restarting in \([0-9]*\) ms$/\1/p' | tr '\n' ' ')
check_eq "delays double: 200 400 800 ms" "200 400 800 " "$delays"
check_eq "4 runs in all" 4 "$(printf '%s\n' "$logs" | grep -c '^crash run$')"
check_match "past a limit that is not final: still retried, status says why" \
	'crash loop: [0-9]+ exits in a row; retrying every 300 ms' "$(field persist error)"
check "... and it keeps running again" wait_for 5 sh -c "[ \$(nsenter -t $SUP_INIT_PID -m $BIN/keelctl logs persist | grep -c '^persist run$') -ge 8 ]"
check_eq "... at restart-delay-max" "300 300 300" "$(ctl logs persist | sed -n 's/^\[keel\] restarting in \([0-9]*\) ms$/\1/p' | tail -3 | paste -sd' ')"
zr=$(field zero restarts)
sleep 2
zr2=$(field zero restarts)
check "restart-delay 0, restart-limit 0: no busy loop (restarts $zr -> $zr2 in 2 s)" \
	test $((zr2 - zr)) -lt 10
check_match "failure reason is the crash loop" 'crash loop: 4 exits in a row' "$(field crash error)"
check_eq "restarts counted" 3 "$(field crash restarts)"
check_eq "last exit recorded" "exit 7" "$(field crash last_exit)"
check_eq "restart = on-failure: a clean exit is not restarted" down "$(state onfail-ok)"
check_eq "restart = never: not restarted after exit 9" down "$(state never)"
check_eq "... and its exit is shown" "exit 9" "$(field never last_exit)"
check "start-timeout: a service that never notifies is stopped and backs off" \
	wait_for 5 is_state mute backoff
check_match "... with the reason in its log" 'not ready after 500 ms' "$(ctl logs mute)"

check "keelctl start revives a failed service" ctl start crash
check "... which runs again" wait_for 5 sh -c "[ \$(nsenter -t $SUP_INIT_PID -m $BIN/keelctl logs crash | grep -c '^crash run$') -ge 5 ]"
check "... and fails again after its crash loop" wait_for 20 is_state crash failed
kill -USR2 "$SUP_INIT_PID"
check "SIGUSR2 to init (busybox: poweroff) stops everything; init exits" \
	wait_for 20 sh -c "! kill -0 $SUP_UNSHARE_PID 2>/dev/null"
check_match "... through the supervisor's shutdown" 'supervisor: shutdown' "$(cat "$SUP_OUT")"
t_done
