#!/bin/sh
# Power signals (busybox init's: TERM reboot, USR1 halt, USR2 poweroff; INT is
# ctrl-alt-del → reboot; PWR poweroff) each run the documented shutdown path,
# in order, and end the namespace like reboot(2) does: the parent sees init
# killed by SIGHUP (reboot) or SIGINT (halt/poweroff), i.e. status 129/130.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/init_lib.sh"
init_require

# line_of OUT REGEX: number of the first matching line (0 when none).
line_of() { grep -nE -- "$2" "$1" | head -1 | cut -d: -f1 | grep . || echo 0; }

# in_order OUT REGEX...: each regex matches a line after the previous one.
in_order() {
	f=$1; shift; last=0
	for re in "$@"; do
		n=$(line_of "$f" "$re")
		[ "$n" -gt "$last" ] || { diag "'$re' missing or out of order"; return 1; }
		last=$n
	done
}

for case in TERM:reboot:129 INT:reboot:129 USR1:halt:130 USR2:poweroff:130 PWR:poweroff:130; do
	sig=${case%%:*}; rest=${case#*:}; action=${rest%%:*}; want=${rest#*:}
	out=$T_DIR/$sig.out
	init_start "$out"
	if ! init_wait_for "$out" '^keel: ready in [0-9]+ ms$'; then
		not_ok "SIG$sig: init reaches ready"; cat "$out" | sed 's/^/# /'; kill -KILL "$U"; continue
	fi
	kill -"$sig" "$C"
	init_wait_exit 20
	check_eq "SIG$sig: namespace ends as after reboot(2) for $action" "$want" "$ST"
	check "SIG$sig: $action path in order" in_order "$out" "keel: $action requested" \
		"shutdown: stopping services" "shutdown: sending TERM to all processes" \
		"shutdown: sending KILL to all processes" "shutdown: $action now"
	check_eq "SIG$sig: exactly one ready line" 1 "$(grep -c '^keel: ready' "$out")"
done

# With processes inside: one handles TERM and exits, one ignores TERM and must
# be KILLed after the (polled) grace period. They are children of the debug
# shell, which is init's child, so init reaps them all. Both ignore the
# SIGHUP init sends the shell's process group, so TERM is what they see.
script=$T_DIR/script
cat >"$script" <<'SH'
sh -c 'trap "" HUP; trap "echo worker-got-TERM; exit 0" TERM; echo worker-up; while :; do sleep 0.1; done' &
sh -c 'trap "" HUP TERM; echo stubborn-up; while :; do sleep 0.1; done' &
exec sleep 1000
SH
out=$T_DIR/procs.out
INIT_STDIN=$script init_start "$out" keel.shell=1
init_wait_for "$out" stubborn-up && init_wait_for "$out" worker-up
check "debug shell started its processes" [ $? -eq 0 ]
t0=$(date +%s)
kill -USR2 "$C"
init_wait_exit 30
t1=$(date +%s)
check_eq "poweroff with processes: status" 130 "$ST"
check "a TERM handler ran" grep -q worker-got-TERM "$out"
check_match "TERM ignorer: grace period expired, then KILL" \
	"sending TERM to all processes: not done after 5000 ms" "$(cat "$out")"
check "grace period is bounded (< 12 s)" [ $((t1 - t0)) -lt 12 ]

# A halt in progress is upgraded by a later reboot request, never downgraded.
out=$T_DIR/upgrade.out
INIT_STDIN=$script init_start "$out" keel.shell=1
init_wait_for "$out" stubborn-up
kill -USR1 "$C"
init_wait_for "$out" "sending TERM to all processes"
kill -TERM "$C"
init_wait_exit 30
check_eq "halt upgraded to reboot: status" 129 "$ST"
check_match "halt upgraded to reboot: logged" "reboot requested: upgrading halt" "$(cat "$out")"
check "halt upgraded to reboot: reboot(2) with reboot" grep -q "shutdown: reboot now" "$out"
t_done
