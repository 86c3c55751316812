#!/bin/sh
# runc-shim runs as root and writes where it is told: the pid file goes to
# a new O_EXCL|O_NOFOLLOW file renamed into place (a planted symlink is
# replaced, never written through), and --root (state.json, the seccomp
# cache) is only trusted when it is ours and not group/other-writable.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ns/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
cfg "$B" 'c["process"]["args"] = ["sleep", "30"]'
D=$SHIM_T/pids
mkdir -p "$D"
echo victim >"$SHIM_T/victim1"
echo victim >"$SHIM_T/victim2"
ln -s "$SHIM_T/victim1" "$D/pid"
ln -s "$SHIM_T/victim2" "$D/pid.tmp"
shim create --bundle "$B" --pid-file "$D/pid" f1
pid=$(shim state f1 | jget '["pid"]')
check_eq "a symlink at the pid file is replaced, its target untouched" victim "$(cat "$SHIM_T/victim1")"
check_eq "a symlink at pid.tmp is not written through" victim "$(cat "$SHIM_T/victim2")"
check "the pid file is a regular file now" test -f "$D/pid" -a ! -L "$D/pid"
check_eq "...holding the init's pid" "$pid" "$(cat "$D/pid")"
check_eq "no temp file left" "pid pid.tmp" "$(ls "$D" | tr '\n' ' ' | sed 's/ $//')"
shim delete --force f1

# --root writable by others: refused for create and for reading state.
chmod 777 "$SHIM_ROOT"
# (To a file: an init that survived would hold a substitution's pipe open.)
shim create --bundle "$B" f2 >"$SHIM_T/f2.out" 2>&1
out=$(cat "$SHIM_T/f2.out")
check_match "create with a world-writable --root: refused" '--root .*writable by group or others' "$out"
chmod 700 "$SHIM_ROOT"
shim create --bundle "$B" f3
chmod 770 "$SHIM_ROOT"
check_match "state from a group-writable --root: refused" 'writable by group or others' "$(shim state f3 2>&1)"
check_match "kill through it: refused" 'writable by group or others' "$(shim kill f3 KILL 2>&1)"
chmod 700 "$SHIM_ROOT"
chown 1000 "$SHIM_ROOT"
check_match "a --root owned by another uid: refused" 'owned by uid 1000' "$(shim state f3 2>&1)"
chown 0 "$SHIM_ROOT"
check_match "back to ours: state works" '"created"' "$(shim state f3)"
shim delete --force f3
t_done
