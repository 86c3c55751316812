#!/bin/sh
# keel.* options given as argv (as in a PID namespace): a bad value is reported
# in one line naming the option and the default is used; init survives any
# input (garbage options, stray signals) and still shuts down on request.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/init_lib.sh"
init_require

out=$T_DIR/bad.out
long=$(head -c 6000 /dev/zero | tr '\0' a)
init_start "$out" keel.specdir=relative keel.hostname=-bad keel.debug=maybe keel.bogus=1 \
	keel.specdir="/$long" keel. keel.=x "keel.shell=$(printf '\001\377')" notkeel.opt=1 plainword
check "init reaches ready despite bad options" init_wait_for "$out" '^keel: ready in'
log=$(cat "$out")
check_match "bad specdir reported, default kept" \
	"keel.specdir: bad value 'relative': must be an absolute path; using the default" "$log"
check_match "bad hostname reported" "keel.hostname: bad value '-bad'.*using the default" "$log"
check_match "bad boolean reported" "keel.debug: bad value 'maybe'.*using the default" "$log"
check_match "unknown option reported" "keel.bogus: unknown option" "$log"
check_match "too long path reported" "keel.specdir: bad value '/a+': path too long" "$log"
check_match "empty option name reported" "keel.: unknown option" "$log"
check_match "defaults used" "starting \(specdir /containers, container\)" "$log"
check "non-keel words are not reported" sh -c "! grep -Eq 'notkeel|plainword' '$out'"
check_eq "one warning per bad option" 8 "$(grep -c 'using the default' "$out")"

# Stray signals that have no meaning for init are ignored, even fatal ones.
for sig in HUP QUIT SEGV ABRT ALRM WINCH CONT TSTP TTIN; do kill -"$sig" "$C"; done
sleep 0.3
check "init survives stray signals" kill -0 "$C"
kill -TERM "$C"
init_wait_exit 20
check_eq "init shuts down on TERM afterwards" 129 "$ST"

# A good option from argv is applied (visible without debug in the start line).
out=$T_DIR/good.out
init_start "$out" keel.specdir=/srv/specs keel.debug=1
check "good options: ready" init_wait_for "$out" '^keel: ready in'
check_match "keel.specdir applied" "starting \(specdir /srv/specs, container\)" "$(cat "$out")"
check_match "keel.debug=1 enables debug lines" "keel: mounted proc on /proc" "$(cat "$out")"
kill -USR2 "$C"
init_wait_exit 20
check_eq "poweroff afterwards" 130 "$ST"

# keel.shell=1 with a shell that exits at once (stdin at EOF): init respawns
# it, but not more than once a second, and keeps running.
out=$T_DIR/shell.out
init_start "$out" keel.shell=1
init_wait_for "$out" '^keel: ready in'
sleep 3
n=$(grep -c "debug shell started" "$out")
check "exiting debug shell respawned at most once a second ($n starts in ~3 s)" \
	[ "$n" -ge 2 -a "$n" -le 5 ]
kill -TERM "$C"
init_wait_exit 20
check_eq "reboot afterwards" 129 "$ST"
t_done
