#!/bin/sh
# Shutdown (namespace tier): onshutdown jobs run first, in order; services
# stop in reverse dependency order (c after b after a: c, then b, then a);
# a service that ignores TERM delays shutdown by its stop-timeout only, and
# is then killed; nothing of any service survives.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

graceful() { # NAME: exits on TERM after saying so (and taking 300 ms)
	echo "trap 'echo stopping $1; sleep 0.3; exit 0' TERM; echo $1 up; echo >&3; sleep 100000 & wait"
}
bundle services a "$(graceful a)" 'ready = notify-fd 3'
bundle services b "$(graceful b)" 'ready = notify-fd 3
after = a'
bundle services c "$(graceful c)" 'ready = notify-fd 3
after = b'
bundle services intr "trap 'echo intr got INT; exit 0' INT; echo >&3; sleep 100000 & wait" 'ready = notify-fd 3
stop-signal = INT'
bundle services stubborn 'echo stubborn up; exec sleep 100000' 'stop-timeout = 1500ms'
bundle onshutdown 10-save 'echo onshutdown 10 ran'
bundle onshutdown 20-last 'echo onshutdown 20 ran'

logwrite_bundle "$SUP_T/logs" # persistent logs, stopped last
check "init boots" boot
check "all up" wait_for 10 is_state c ready
check "stubborn up" wait_for 10 is_state stubborn ready
check "poweroff completes" poweroff_wait 30
out=$(cat "$SUP_OUT")
check "onshutdown jobs ran first, in order, then c, b, a stopped in reverse order" \
	ascending "$(line_of 'onshutdown 10 ran')" "$(line_of 'onshutdown 20 ran')" \
	"$(line_of 'c: stopping c')" "$(line_of 'b: stopping b')" "$(line_of 'a: stopping a')"
check_match "the stubborn service was killed after its stop-timeout" \
	'still running after stop: killing' "$(unstamped "$SUP_T/logs/stubborn.log")"
check_match "... and died of SIGKILL" 'killed by signal 9' "$(unstamped "$SUP_T/logs/stubborn.log")"
check "shutdown took about the stop-timeout of the stubborn service, not more ($POWEROFF_MS ms)" \
	test_between 1400 "$POWEROFF_MS" 6000
check_eq "persistent log file (logwrite service) has the service's output and keel's notes" \
	"a up|[keel] ready|stopping a|[keel] exited with status 0" "$(unstamped "$SUP_T/logs/a.log" | grep -v runc-shim | paste -sd'|')"
check_match "stop-signal = INT is what the service got" 'intr: intr got INT' "$out"
check_match "shutdown went through the supervisor" 'supervisor: shutdown' "$out"

# A required onboot job that fails: no service starts, keel powers off.
wait "$SUP_UNSHARE_PID" 2>/dev/null
rm -rf "$SPEC/services/"* "$SPEC/onshutdown/"*
bundle onboot 10-must 'sleep 1; echo must fails; exit 1' 'required = yes'
bundle services never-started 'echo never-started ran'
: >"$SUP_OUT"
check "boot with a failing required onboot job" boot
check "init powers off by itself" wait_for 20 sh -c "! kill -0 $SUP_UNSHARE_PID 2>/dev/null"
out=$(cat "$SUP_OUT")
check_match "the failure is named" '10-must: required onboot bundle failed: not starting services; powering off' "$out"
check "no service was started" sh -c "! grep -q 'never-started ran' '$SUP_OUT'"
t_done
