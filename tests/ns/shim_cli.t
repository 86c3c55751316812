#!/bin/sh
# The runc-compatible CLI around the container: --version, features, spec,
# --log/--log-format, usage errors, exit statuses.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

check_match "--version names runc-shim and the spec version" '^runc-shim version .*spec: 1\.0\.2' \
	"$(shim --version | tr '\n' ' ')"
f=$(shim features)
check_eq "features: valid JSON saying cgroup v2 only, seccomp on" "True False True" \
	"$(printf '%s' "$f" | python3 -c 'import json,sys; d=json.load(sys.stdin)["linux"]; print(d["cgroup"]["v2"], d["cgroup"]["v1"], d["seccomp"]["enabled"])')"
check_match "features: capabilities from libcap" '"CAP_SYS_ADMIN"' "$f"
check_eq "features: the runtime-spec 1.1 fields (archs, flags, rdt, idmap, libseccomp)" "True True False False True" \
	"$(printf '%s' "$f" | python3 -c 'import json,sys; d=json.load(sys.stdin); l=d["linux"]
print("SCMP_ARCH_X86_64" in l["seccomp"]["archs"], "SECCOMP_FILTER_FLAG_LOG" in l["seccomp"]["knownFlags"],
      l["intelRdt"]["enabled"], l["mountExtensions"]["idmap"]["enabled"],
      "io.github.seccomp.libseccomp.version" in d["annotations"] and d["potentiallyUnsafeConfigAnnotations"] == [])')"

mkdir "$SHIM_T/s"
shim spec --bundle "$SHIM_T/s"
check_eq "spec: writes config.json" 0 "$?"
check_eq "spec: refuses to overwrite it" 1 "$(shim spec --bundle "$SHIM_T/s" 2>/dev/null; echo $?)"
check_eq "spec: unprivileged defaults" "True True [] 7 True" "$(python3 -c '
import json,sys; c=json.load(open(sys.argv[1]))
print(c["process"]["noNewPrivileges"], c["root"]["readonly"], c["process"]["capabilities"]["bounding"],
      len(c["linux"]["namespaces"]), c["linux"]["seccomp"]["defaultAction"] == "SCMP_ACT_ERRNO")' "$SHIM_T/s/config.json")"
mkdir "$SHIM_T/r"
shim spec --rootless --bundle "$SHIM_T/r"
check_eq "spec --rootless: maps container root to the caller only" "$(id -u) 1" "$(python3 -c '
import json,sys; m=json.load(open(sys.argv[1]))["linux"]["uidMappings"]; print(m[0]["hostID"], m[0]["size"])' "$SHIM_T/r/config.json")"

check_eq "unknown command: exit 1" 1 "$(shim frobnicate 2>/dev/null; echo $?)"
check_match "unknown command: one error line" '^runc-shim: unknown command "frobnicate"$' "$(shim frobnicate 2>&1)"
check_eq "state of an unknown container: exit 1" 1 "$(shim state nope 2>/dev/null; echo $?)"
check_match "kill: bad signal named" 'unknown signal "SIGFOO"' "$(shim kill x SIGFOO 2>&1)"
check_match "create without an ID" 'expected exactly one container ID' "$(shim create --bundle "$SHIM_T/s" 2>&1)"
check_eq "--preserve-fds: one parser, one message for create and exec" \
	'runc-shim: --preserve-fds: bad number "x"|runc-shim: --preserve-fds: bad number "x"' \
	"$(shim create --preserve-fds x --bundle "$SHIM_T/s" c1 2>&1)|$(shim exec --preserve-fds x c1 true 2>&1)"
check_match "--systemd-cgroup is refused, not ignored" 'not supported' "$(shim --systemd-cgroup list 2>&1)"

shim --log "$SHIM_T/log.json" --log-format json state nope 2>/dev/null
check_eq "--log-format json: the error as one JSON object" "error|container \"nope\" does not exist" \
	"$(python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read()); print(d["level"] + "|" + d["msg"])' "$SHIM_T/log.json")"
shim --log "$SHIM_T/log.txt" state nope 2>/dev/null
check_match "--log (text): the same line" '^runc-shim: container "nope" does not exist$' "$(cat "$SHIM_T/log.txt")"
check_eq "list with no containers: only the header" 1 "$(shim list | wc -l | tr -d ' ')"
t_done
