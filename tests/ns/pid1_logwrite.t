#!/bin/sh
# Persistent logs without disk I/O in PID 1 (LinuxKit's memlogd/logwrite):
# the logwrite service, as an unprivileged host uid, follows every ring
# through the bind-mounted control socket and writes LOGDIR/NAME.log with
# timestamps. That uid may ask "logs -f --all" and nothing else. Killed, it
# is restarted and re-reads the rings: nothing they still hold is lost.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

[ -z "$SUP_BASE" ] && { skip "logwrite" "needs runc-shim (a user namespace per bundle)"; exit 0; }
LOGS=$SUP_T/logs
WUID=$((300000 + $$ % 1000 * 65536))
logwrite_bundle "$LOGS" "$WUID"
bundle services chatty 'i=0; while :; do i=$((i+1)); echo "line $i"; sleep 0.2; done'

check "init boots with the log writer as host uid $WUID" boot
check "logwrite runs" wait_for 20 is_state logwrite ready
check "chatty's lines reach $LOGS/chatty.log" wait_for 10 grep -q 'line 3$' "$LOGS/chatty.log"
check_match "each line is timestamped" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8} line 1$' \
	"$(grep ' line 1$' "$LOGS/chatty.log")"
check_eq "files belong to the writer's uid, not root" "$WUID" "$(stat -c %u "$LOGS/chatty.log")"
# host_pid NSPID: the host pid of init's child NSPID (a container's init).
host_pid() {
	grep -l "^NSpid:.*[[:space:]]$1[[:space:]]1\$" /proc/[0-9]*/status 2>/dev/null |
		head -1 | cut -d/ -f3
}
wpid=$(host_pid "$(field logwrite pid)")
in_writer() { nsenter -t "$wpid" -U -m -p keelctl "$@" 2>&1; }
check_match "the writer's uid may not ask anything else" 'permission denied' "$(in_writer status)"
check_match "... not even one service's logs" 'permission denied' "$(in_writer logs chatty)"
check_match "... but may follow all logs" '^chatty: line' "$(timeout 1 nsenter -t "$wpid" -U -m -p keelctl logs -f --all | head -3)"
check_match "an unrelated uid is refused" 'permission denied' \
	"$(nsenter -t "$SUP_INIT_PID" -m setpriv --reuid=$((WUID + 7)) --regid=$((WUID + 7)) --clear-groups \
		"$BIN/keelctl" status 2>&1)"

# The writer dies: PID 1 restarts it; lines printed meanwhile are in the ring.
restarts=$(field logwrite restarts)
kill -KILL "$wpid"
restarted() { [ "$(field logwrite restarts)" -gt "$restarts" ] && is_state logwrite ready; }
check "PID 1 restarts the writer" wait_for 10 restarted
n=$(ctl logs chatty | grep -c '^line')
check "lines printed while it was down are written too" wait_for 10 grep -q "line $((n + 2))\$" "$LOGS/chatty.log"
missing=$(unstamped "$LOGS/chatty.log" | grep '^line' | sort -u | awk '{print $2}' | sort -n |
	awk 'NR == 1 {p = $1; next} $1 != p + 1 {m++} {p = $1} END {print m + 0}')
check_eq "no line is missing across the writer's restart" 0 "$missing"
check "poweroff" poweroff_wait 20
check_match "the writer stopped last and wrote chatty's exit note" '\[keel\] killed by signal|exited with status' \
	"$(tail -3 "$LOGS/chatty.log")"
t_done
