#!/bin/sh
# Boot and shutdown budgets (namespace tier): a hung onboot job is stopped
# at its start-timeout, failed, and the boot goes on; with keel.shell=1 the
# debug shell starts even while the boot is stuck; the shutdown cap is the
# supervisor's own worst case (each service its stop-timeout, in order).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

bundle onboot 10-hang "echo hang started; $IDLE" 'start-timeout = 1s'
bundle onboot 20-next 'echo onboot 20 ran'
bundle services a "$IDLE" 'stop-timeout = 40s'
bundle services b "$IDLE" 'stop-timeout = 40s
after = a'
bundle onshutdown 10-bye 'echo bye' 'stop-timeout = 3s'

t0=$(date +%s)
check "init boots" boot
check "boot completes although an onboot job hangs" wait_for 15 grep -q '^keel: ready' "$SUP_OUT"
check "... within about its start-timeout ($(($(date +%s) - t0)) s)" test $(($(date +%s) - t0)) -lt 8
check_eq "the hung job is failed" failed "$(state 10-hang)"
check_match "... saying why" 'did not finish in time' "$(field 10-hang error)"
check_match "... also in its log" 'still running after 1000 ms: stopping it' "$(ctl logs 10-hang)"
check "the next onboot job ran after it" ascending "$(line_of 'hang started')" "$(line_of 'onboot 20 ran')"
check "services started" wait_for 10 is_state b ready
check "poweroff" poweroff_wait 20
# jobs: 3000 + (3000 + 5000 + 30000); services a <- b: 2 x (40000 + 5000 + 30000); slack 2000
check_match "shutdown cap = onshutdown jobs + the longest stop chain, each with its own timeout" \
	'worst case 193000 ms' "$(cat "$SUP_OUT")"

wait "$SUP_UNSHARE_PID" 2>/dev/null
rm -rf "$SPEC/services/"* "$SPEC/onboot/"* "$SPEC/onshutdown/"*
bundle onboot 10-stuck "$IDLE" 'start-timeout = 20m'
: >"$SUP_OUT"
check "boot with a stuck onboot job and keel.shell=1" boot keel.shell=1
check "the debug shell starts although the boot is stuck" \
	wait_for 20 grep -q 'starting the debug shell anyway' "$SUP_OUT"
check_match "... it did start" 'debug shell started' "$(cat "$SUP_OUT")"
check "... and no ready line" sh -c "! grep -q '^keel: ready' '$SUP_OUT'"
check "poweroff still works" poweroff_wait 20
t_done
