#!/bin/sh
# Rootless: runc-shim run by an unprivileged user (uid 1000) with
# `spec --rootless`: container root is that user alone, setgroups is
# denied before gid_map is written (the kernel requires it; CVE-2014-8989),
# and additionalGids are then refused with a clear error.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require
command -v setpriv >/dev/null || { skip "rootless runc-shim" "setpriv missing"; t_done; }

B=$SHIM_T/b
make_bundle "$B"
rm "$B/config.json"
chown -R 1000:1000 "$B"
as_user() { setpriv --reuid=1000 --regid=1000 --clear-groups "$@"; }
as_user "$BIN/runc-shim" spec --rootless --bundle "$B"
as_user /usr/bin/python3 - "$B/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["probe", "info"]
json.dump(c, open(sys.argv[1], "w"))
PY
R=$SHIM_T/user-root
mkdir "$R" && chown 1000:1000 "$R"
out=$(as_user "$BIN/runc-shim" --root "$R" run --bundle "$B" rl 2>/dev/null)
check_eq "rootless run: container root is uid 1000 alone" "0 1000 1" "$(field uid_map "$out")"
check_eq "rootless run: setgroups denied" deny "$(field setgroups "$out")"
check_eq "rootless run: sandbox as usual" "0000000000000000 2 1" \
	"$(field CapBnd "$out") $(field Seccomp "$out") $(field NoNewPrivs "$out")"
as_user /usr/bin/python3 - "$B/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["user"]["additionalGids"] = [0]
json.dump(c, open(sys.argv[1], "w"))
PY
check_match "rootless: additionalGids refused at create, named" 'process.user.additionalGids: setgroups is denied' \
	"$(as_user "$BIN/runc-shim" --root "$R" run --bundle "$B" rl2 2>&1)"
check_eq "rootless: nothing left under --root" "" "$(ls "$R")"
t_done
