#!/bin/sh
# Supervision semantics (namespace tier): needs = X stops and restarts a
# service together with X; a service waiting on a failed dependency says
# so; keelctl signal; keelctl logs -t; the last operator command wins (restart, then stop
# while stopping: stays stopped).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

bundle services db "$IDLE"
bundle services web "echo web up; $IDLE" 'needs = db'
bundle services bad 'exit 1' 'restart-delay = 50ms
ready = notify-fd 3
restart-limit = 1 final'
bundle services waiter "$IDLE" 'after = bad'
bundle services hup "trap 'echo got HUP' HUP; trap 'exit 0' TERM; while :; do sleep 1 & wait; done"
bundle services slow "trap 'sleep 1; exit 0' TERM; sleep 100000 & wait"

pid_of() { field "$1" pid; }
check "init boots" boot
check "web (needs db) is ready" wait_for 10 is_state web ready
check "bad fails" wait_for 10 is_state bad failed
check_eq "a service waiting on a failed dependency says why" "waiting: bad failed" "$(field waiter error)"
check_match "... in the table too" 'waiter +service +waiting .*waiting: bad failed' "$(ctl status waiter)"

web1=$(pid_of web)
check "keelctl stop db" ctl_quiet stop db
check "... stops web, which needs it, and web waits" wait_for 10 is_state web waiting
check_match "... with the reason in web's log" 'stopping: needs db, which is stopping' "$(ctl logs web)"
check_eq "... and says what it waits for" "waiting: db down" "$(field web error)"
check "keelctl start db brings web back" wait_for 10 sh -c "nsenter -t $SUP_INIT_PID -m $BIN/keelctl start db >/dev/null; [ \"\$(nsenter -t $SUP_INIT_PID -m $BIN/keelctl status --json web | sed -n 's/.*\"state\":\"\([a-z]*\)\".*/\1/p')\" = ready ]"
web2=$(pid_of web)
check "... as a new instance ($web1 -> $web2)" test "$web1" != "$web2"
check "keelctl restart db" ctl_quiet restart db
check "... restarts web too" wait_for 10 sh -c "[ \$(nsenter -t $SUP_INIT_PID -m $BIN/keelctl logs web | grep -c '^web up$') -ge 3 ]"
check "... which ends ready" wait_for 10 is_state web ready

check "keelctl signal hup HUP" ctl_quiet signal hup HUP
check "... the service got it" wait_for 5 sh -c "nsenter -t $SUP_INIT_PID -m $BIN/keelctl logs hup | grep -q '^got HUP$'"
check_match "... and its log says who sent it" 'sent SIGHUP by keelctl' "$(ctl logs hup)"
check_match "keelctl logs -t puts the arrival time (UTC) before each line" \
	'^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{3}Z got HUP$' "$(ctl logs -t hup)"
check_eq "... on every line" "$(ctl logs hup | wc -l)" "$(ctl logs -t -n 1000 hup | grep -cE '^20[0-9-]{8}T')"
check_match "... today's date" "^$(date -u +%Y-%m-%d)T" "$(ctl logs -t -n 1 hup)"
check_match "-t with -f is refused" 'cannot be combined' "$(ctl logs -t -f hup 2>&1)"
check_match "an unknown signal is refused" 'is not a signal' "$(ctl signal hup BOGUS 2>&1)"
check_match "a service that is not running is refused" 'waiter is not running \(waiting\)' "$(ctl signal waiter TERM 2>&1)"
check_match "the signal is required" 'one more argument' "$(ctl signal hup 2>&1)"

check "slow is ready" wait_for 10 is_state slow ready
ctl restart slow >/dev/null
ctl stop slow >/dev/null
check "restart, then stop while stopping: ends stopped" wait_for 10 is_state slow down
sleep 1
check_eq "... and stays stopped" down "$(state slow)"
check "start again" ctl_quiet start slow
check "... ready" wait_for 10 is_state slow ready
ctl stop slow >/dev/null; ctl start slow >/dev/null; ctl stop slow >/dev/null
check "stop; start; stop while stopping: ends stopped" wait_for 10 is_state slow down
sleep 1
check_eq "... and stays stopped" down "$(state slow)"
check "poweroff" poweroff_wait 30
t_done
