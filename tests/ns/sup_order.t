#!/bin/sh
# Supervisor, namespace tier: onboot order, start order on readiness
# (notify-fd), parallel start of independent services, and bad bundles
# (cycle, unknown after=, bad service.conf, missing config.json) failing
# alone while everything else starts.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

bundle onboot 10-first 'echo onboot-10 ran'
bundle onboot 20-second 'echo onboot-20 ran; exit 3'
bundle onboot 30-third 'echo onboot-30 ran'
bundle services db "echo db starting; sleep 1; echo db ready; echo >&3; $IDLE" 'ready = notify-fd 3'
bundle services web "echo web started; $IDLE" 'after = db'
bundle services solo "echo solo started; $IDLE"
bundle services cyc-a "$IDLE" 'after = cyc-b'
bundle services cyc-b "$IDLE" 'after = cyc-a'
bundle services needs-a "$IDLE" 'after = cyc-a'
bundle services orphan "$IDLE" 'after = ghost'
bundle services badconf "$IDLE" 'restart = always
ready = notify-fd 1'
bundle services noconfig "$IDLE"
rm "$SPEC/services/noconfig/config.json"
bundle services fd5 "echo >&5; $IDLE" 'ready = notify-fd 5'
bundle onboot dup 'echo dup onboot ran'
bundle services dup 'echo dup service ran'
bundle services -dash 'echo dash ran'

check "init boots as PID 1 of a new pid namespace" boot
check "db runs, not ready yet (it sleeps 1 s before notifying)" wait_for 5 is_state db running
check_eq "web waits while db is not ready" "waiting" "$(state web)"
check_eq "solo (no after=) started in parallel" "ready" "$(state solo)"
check "web becomes ready after db" wait_for 10 is_state web ready
out=$(cat "$SUP_OUT")
l10=$(line_of 'onboot-10 ran') l20=$(line_of 'onboot-20 ran') l30=$(line_of 'onboot-30 ran')
check "onboot jobs ran in lexical order, a failing one did not stop the boot" \
	ascending "$l10" "$l20" "$l30" "$(line_of 'db: db starting')"
check_eq "failing onboot job is failed with its exit" "exit 3" "$(field 20-second last_exit)"
check "web's first output comes after db signalled ready" \
	[ "$(line_of 'db: db ready')" -lt "$(line_of 'web: web started')" ]
check_eq "cycle: cyc-a failed" "failed" "$(state cyc-a)"
check_match "cycle is named" 'cycle: cyc-a -> cyc-b -> cyc-a|cycle: cyc-b -> cyc-a -> cyc-b' "$(field cyc-a error)"
check_eq "dependent of a cycle is failed" "failed" "$(state needs-a)"
check_match "a name used twice (onboot/dup, services/dup): the later one is refused" \
	'services/dup: name already used by .*/onboot/dup' "$(ctl status)"
check "... and never runs" sh -c "! grep -q 'dup service ran' '$SUP_OUT'"
check_match "a name starting with '-' is refused" 'services/-dash: not a valid bundle name' "$(ctl status)"
check "... and never runs" sh -c "! grep -q 'dash ran' '$SUP_OUT'"
check_match "unknown after= name is reported" "after 'ghost': no such service" "$(field orphan error)"
check_match "bad service.conf: file:line in the error" 'badconf/service.conf:2: ready: notify fd' "$(field badconf error)"
check_match "missing config.json is an error for that bundle" 'no config.json' "$(field noconfig error)"
check_eq "notify-fd 5 works (fds 3-4 are /dev/null)" "ready" "$(state fd5)"
check "boot completes although some bundles failed" wait_for 5 grep -q 'keel: ready' "$SUP_OUT"
check_match "errors are logged on the console" 'orphan.*ghost' "$out"
check "poweroff: init stops every service and exits" poweroff_wait 30
# Not a speed goal: a service killed only after its stop-timeout (10 s by
# default) would push shutdown past it.
check "services that exit on TERM are not held to their stop-timeout ($POWEROFF_MS ms)" \
	[ "$POWEROFF_MS" -lt 10000 ]
t_done
