#!/bin/sh
# Orphan storm: 1000+ processes orphaned at once are reparented to init (PID 1
# of the namespace) and every one is reaped: no zombie is left behind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/init_lib.sh"
init_require

N=1200
script=$T_DIR/storm
cat >"$script" <<SH
i=0
while [ \$i -lt $N ]; do (sleep 0.5 &); i=\$((i + 1)); done
echo storm-spawned
exec sleep 1000
SH
out=$T_DIR/storm.out
INIT_STDIN=$script init_start "$out" keel.shell=1 keel.debug=1
check "storm of $N orphans spawned" init_wait_for "$out" storm-spawned 60

# Wait until every orphan is reaped: init's only child left is the shell.
left=-1
for _ in $(seq 200); do
	left=$(children_of "$C" | wc -w)
	[ "$left" -le 1 ] && break
	sleep 0.05
done
check_eq "only the shell is left as init's child" 1 "$left"
check_eq "no zombie left" 0 "$(zombies_of "$C")"
reaped=$(grep -c "reaped orphan" "$out")
check "init reaped at least $N orphans ($reaped)" [ "$reaped" -ge "$N" ]

kill -TERM "$C"
init_wait_exit 20
check_eq "init still shuts down cleanly after the storm" 129 "$ST"
t_done
