#!/bin/sh
# keelctl inspect against the real init (namespace tier): a default service
# (own user namespace mapping root to an unprivileged host range, no caps)
# and one with an extra capability (the DHCP client's shape: no user
# namespace, a non-root uid holding CAP_NET_BIND_SERVICE as an ambient
# capability, which runc-shim must grant without a user namespace). Every
# field of --json is checked against the bundle's config.json; the text form
# and keelctl status's HOST-CAPS column too.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

if [ -z "$SUP_BASE" ]; then
	skip "keelctl inspect" "runc-shim spec unavailable"
	t_done
fi
HOSTID=$((300000 + $$ % 1000 * 65536))
plain_and_capped "$HOSTID" 1

check "init boots" boot
check "plain ready" wait_for 10 is_state plain ready
check "capped ready" wait_for 10 is_state capped ready

# fields NAME: checks `inspect --json NAME` against its config.json; prints TAP.
fields() {
	ctl inspect --json "$1" >"$SUP_T/$1.json" 2>&1
	python3 - "$1" "$SUP_T/$1.json" "$SPEC/services/$1/config.json" "$HOSTID" <<'PY'
import json, sys
name, got_file, cfg_file, host = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cfg = json.load(open(cfg_file))
try:
    j = json.load(open(got_file))
except ValueError as e:
    print(f"not ok - {name}: inspect --json is JSON ({e}): {open(got_file).read()[:300]!r}")
    sys.exit(0)
def t(good, desc):
    print(("ok - " if good else "not ok - ") + f"{name}: {desc}" + ("" if good else f" (got {j})"))
userns = any(n["type"] == "user" for n in cfg["linux"]["namespaces"])
uid = host if userns else cfg["process"]["user"]["uid"]
gid = host if userns else cfg["process"]["user"]["gid"]
caps = cfg["process"].get("capabilities", {}).get("permitted", [])
t(j["name"] == name and j["pid"] > 1, "name and pid")
t(j["uid"] == [uid] * 4, f"uid real/effective/saved/fs are host uid {uid}")
t(j["gid"] == [gid] * 4, f"gid real/effective/saved/fs are host gid {gid}")
t(j["uid_map"] == ([f"0 {host} 65536"] if userns else ["0 0 4294967295"]), "uid_map")
t(j["gid_map"] == ([f"0 {host} 65536"] if userns else ["0 0 4294967295"]), "gid_map")
own = {"user", "mnt", "pid", "ipc", "uts", "net", "cgroup"} - (set() if userns else {"user"})
t(own <= set(j["ns_own"]) and not own & set(j["ns_shared"]), f"own namespaces: {sorted(own)}")
t(("user" in j["ns_shared"]) == (not userns), "user namespace shared with PID 1 only without userns")
t(j["caps_host"] == ([] if userns else caps), f"capabilities over the host: {[] if userns else caps}")
t(j["caps_own"] == [], "no capability in its own user namespace either")
t(j["caps_bounding"] == caps and j["caps_ambient"] == (caps if not userns else []),
  "bounding and ambient sets as configured")
mask = sum(1 << {"CAP_NET_BIND_SERVICE": 10}[c] for c in caps)
t(int(j["cap_eff"], 16) == mask and int(j["cap_prm"], 16) == mask and int(j["cap_bnd"], 16) == mask,
  f"raw CapEff/CapPrm/CapBnd = {mask:#x}")
t(j["no_new_privs"] == 1, "no_new_privs 1")
t(j["seccomp"] == "filter" and j["seccomp_filters"] >= 1, "seccomp filter mode, >= 1 filter")
sc = cfg["linux"]["seccomp"]
t(j["seccomp_rules"] == str(len(sc["syscalls"])) and
  j["seccomp_syscalls"] == str(sum(len(r["names"]) for r in sc["syscalls"])),
  "seccomp profile size from runc-shim's summary (rules, syscall names)")
t(j["seccomp_default"] == {"SCMP_ACT_ERRNO": "errno", "SCMP_ACT_KILL_PROCESS": "kill_process"}.get(
  sc["defaultAction"], "?"), "seccomp default action")
t(j["masked_paths"] == str(len(cfg["linux"]["maskedPaths"])) and
  j["readonly_paths"] == str(len(cfg["linux"]["readonlyPaths"])), "masked/readonly path counts")
t(j["root"] == "ro", "read-only root")
t("/tmp (tmpfs)" in j["writable"] and not any(w.startswith("/ ") for w in j["writable"]),
  "writable mounts list /tmp, not /")
t(all(k in j for k in ("memory_max", "pids_max", "cpu_max")), "cgroup limit fields present")
PY
}
fields plain
fields capped

txt=$(ctl inspect capped)
check_match "text form: caps_host line" '^caps_host +CAP_NET_BIND_SERVICE$' "$txt"
check_match "text form: root ro" '^root +ro$' "$txt"
txt=$(ctl inspect plain)
check_match "text form: no host capability" '^caps_host +none$' "$txt"
st=$(ctl status)
check_match "status: HOST-CAPS column" 'LAST-EXIT +HOST-CAPS +ERROR' "$st"
check_match "status: capped flagged" '^capped .* yes ' "$st"
check_match "status: plain not flagged" '^plain .* - +$' "$st"
check_match "status --json: host_caps" '"name":"capped".*"host_caps":true' "$(ctl status --json capped)"
check_match "inspect of an unknown service fails" 'no such service' "$(ctl inspect nosuch 2>&1)"
check_match "inspect needs a name" 'name is required' "$(ctl inspect 2>&1)"
t_done
