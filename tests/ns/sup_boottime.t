#!/bin/sh
# keelctl boot against the real init (namespace tier): the timeline of two
# onboot jobs and a dependency chain of services (one with notify-fd), its
# order and critical path, --json that parses, --svg that is XML, and a
# request that must not crash PID 1 (bad arguments).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

bundle onboot 10-first 'sleep 0.3'
bundle onboot 20-second 'sleep 0.2'
bundle services base "echo >&3; $IDLE" 'ready = notify-fd 3'
bundle services slow "sleep 0.5; echo >&3; $IDLE" 'ready = notify-fd 3
after = base'
bundle services side "$IDLE"

check "init boots" boot
check "services ready" wait_for 15 is_state slow ready
table=$(ctl boot)
check_match "table: phases, then units with columns" 'PHASE +START +END +TOOK' "$table"
check_match "table: critical path is the jobs, base, slow" \
	'critical path: 10-first -> 20-second -> base -> slow' "$table"
check_match "table: slow marked critical" '^\* slow +service' "$table"
check_match "table: side not critical" '^  side +service' "$table"
diag "$(printf '%s\n' "$table" | sed 's/^/  /')"

json=$(ctl boot --json)
printf '%s' "$json" >"$SUP_T/boot.json"
check "--json parses; events ordered and plausible" python3 - "$SUP_T/boot.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
u = {x["name"]: x for x in d["units"]}
ev = ["spawn_ms", "created_ms", "started_ms"]
for n, x in u.items():
    t = [x[k] for k in ev]
    assert all(v is not None for v in t) and t == sorted(t), (n, t)
    assert x["wanted_ms"] <= x["spawn_ms"], n
for j in ("10-first", "20-second"):
    assert u[j]["exited_ms"] - u[j]["started_ms"] >= 150, u[j]
assert u["10-first"]["exited_ms"] <= u["20-second"]["spawn_ms"]
assert u["20-second"]["exited_ms"] <= min(u[s]["spawn_ms"] for s in ("base", "side"))
assert u["base"]["ready_ms"] <= u["slow"]["spawn_ms"], "after= base"
assert u["slow"]["ready_ms"] - u["slow"]["started_ms"] >= 400, u["slow"]
assert d["critical_path"] == ["10-first", "20-second", "base", "slow"], d["critical_path"]
names = [p["name"] for p in d["phases"]]
assert names[0] == "kernel" and names[-1] == "services", names
assert all(a["end_ms"] == b["start_ms"] for a, b in zip(d["phases"], d["phases"][1:]))
assert d["phases"][-1]["end_ms"] >= u["slow"]["ready_ms"]
PY
ctl boot --svg >"$SUP_T/boot.svg"
check "--svg is well-formed XML with a bar per unit" python3 - "$SUP_T/boot.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
texts = [t.text for t in r.iter("{http://www.w3.org/2000/svg}text")]
assert all(n in texts for n in ("10-first", "20-second", "base", "slow", "side")), texts
assert len([e for e in r.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "critical"]) == 4
PY
out=$(ctl boot --bogus 2>&1); rc=$?
check_eq "bad argument: usage, status 2" "2" "$rc"
check_match "bad argument named" "unexpected argument '--bogus'" "$out"
check "init still answers" ctl_quiet status
t_done
