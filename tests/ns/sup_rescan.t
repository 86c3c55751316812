#!/bin/sh
# keelctl rescan (namespace tier): bundles added to, removed from and
# changed in the spec dir are applied without a reboot; an unchanged
# service keeps running; a dependent of a removed service is failed with
# the reason; a bundle fixed later starts; a re-added name keeps its log.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

bundle services keep "$IDLE"
bundle services leaving "echo leaving v1; $IDLE"
bundle services dep "$IDLE" 'after = leaving'
bundle services change-me "echo change-me v1; $IDLE"

check "init boots" boot
check "all up" wait_for 10 is_state change-me ready
check "dep up" wait_for 10 is_state dep ready
keep_pid=$(field keep pid) change_pid=$(field change-me pid)

bundle services newbie "echo newbie runs; $IDLE"
rm -rf "$SPEC/services/leaving"
printf '%s\n' "echo change-me v2; echo >&3; $IDLE" >"$SPEC/services/change-me/rootfs/run.sh"
printf 'ready = notify-fd 3\n' >"$SPEC/services/change-me/service.conf"
bundle services broken-new "$IDLE"
rm "$SPEC/services/broken-new/config.json"

out=$(ctl rescan)
check_match "rescan reports the added bundle" '^added +service +newbie$' "$out"
check_match "... the removed one" '^removed +service +leaving$' "$out"
check_match "... the changed one" '^changed +service +change-me$' "$out"
check "... and nothing else" test "$(printf '%s\n' "$out" | grep -c .)" -eq 4
check "the added service starts" wait_for 10 is_state newbie ready
check "the changed service runs its new version" wait_for 10 sh -c "nsenter -t $SUP_INIT_PID -m $BIN/keelctl logs change-me | grep -q '^change-me v2$'"
check "... with its new service.conf (ready by notify-fd)" wait_for 10 is_state change-me ready
check "... as a new instance" test "$(field change-me pid)" != "$change_pid"
check_eq "the unchanged service kept its instance" "$keep_pid" "$(field keep pid)"
check "the removed service is gone from status" wait_for 10 sh -c "! nsenter -t $SUP_INIT_PID -m $BIN/keelctl status | grep -q '^leaving '"
check_match "... and from keelctl" 'no such service: leaving' "$(ctl logs leaving 2>&1)"
check "its dependent is failed" wait_for 10 is_state dep failed
check_match "... with the reason" "after 'leaving': no such service" "$(field dep error)"
check_eq "a broken new bundle is failed" failed "$(state broken-new)"
check_match "... saying why" 'no config.json' "$(field broken-new error)"

# Fix the broken one, bring back the removed one.
bundle services leaving "echo leaving v2; $IDLE"
cp "$SPEC/services/keep/config.json" "$SPEC/services/broken-new/config.json"
out=$(ctl rescan)
check_match "second rescan: re-added" '^added +service +leaving$' "$out"
check_match "... the fixed bundle counts as changed" '^changed +service +broken-new$' "$out"
check "the fixed bundle starts" wait_for 10 is_state broken-new ready
check "the re-added service runs" wait_for 10 is_state leaving ready
check "... its dependent is healed and runs again" wait_for 10 is_state dep ready
check_match "the re-added name kept its old log" 'leaving v1' "$(ctl logs leaving)"
check_eq "a rescan with no change reports nothing" "" "$(ctl rescan)"
check "poweroff" poweroff_wait 30
t_done
