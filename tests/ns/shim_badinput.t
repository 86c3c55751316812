#!/bin/sh
# Bad input: every broken config fails create with exit 1 and one line
# naming the file and JSON path, and leaves nothing behind (no state dir,
# no mount, no process).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
bundle_saved "$B"
before=$(mounts_now)
# A good run first: it also says (once) that this host has no cgroup v2.
check "the unedited bundle runs" sh -c "cd '$B' && $BIN/runc-shim --root '$SHIM_ROOT' run good >/dev/null 2>&1"

# bad DESC REGEX: create must fail with one error line matching REGEX.
bad() {
	err=$(shim create --bundle "$B" badc 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 1 ] && [ "$(printf '%s\n' "$err" | grep -c .)" = 1 ] &&
		printf '%s\n' "$err" | grep -Eq -- "$2" && [ ! -e "$SHIM_ROOT/badc" ]; then
		ok "$1"
	else
		not_ok "$1"; diag "rc=$rc err=$err"; ls "$SHIM_ROOT" 2>/dev/null | sed 's/^/# left: /'
		shim delete --force badc 2>/dev/null
	fi
	cfg_reset "$B"
}
edit() { cfg "$B" "$1"; }

printf '{"ociVersion": "1.0.2", "process": {' >"$B/config.json"
bad "truncated JSON" '^runc-shim: config.json: invalid JSON near byte'
printf 'not json at all' >"$B/config.json"
bad "malformed JSON" 'config.json: invalid JSON'
printf '' >"$B/config.json"
bad "empty file" 'config.json: invalid JSON'
rm "$B/config.json"
bad "missing config.json" 'unable to read .*config.json: No such file'
edit 'c["process"]["args"] = "probe"'
bad "args of the wrong type" 'config.json: process.args: expected an array'
edit 'c["process"]["user"]["uid"] = -1'
bad "negative uid" 'process.user.uid: .*out of range'
edit 'c["process"]["user"]["uid"] = 1.5'
bad "fractional uid" 'process.user.uid: expected an integer'
edit 'c["process"]["noNewPrivileges"] = "yes"'
bad "bool as string" 'process.noNewPrivileges: expected true or false'
edit 'c["process"]["capabilities"]["bounding"] = ["CAP_FLY"]'
bad "unknown capability" 'process.capabilities.bounding\[0\]: unknown capability "CAP_FLY"'
edit 'c["linux"]["seccomp"]["syscalls"][1]["action"] = "SCMP_ACT_FOO"'
bad "unknown seccomp action" 'linux.seccomp.syscalls\[1\].action: unknown action "SCMP_ACT_FOO"'
edit 'c["linux"]["seccomp"]["syscalls"][1]["args"] = [{"index": 9, "value": 0, "op": "SCMP_CMP_EQ"}]'
bad "seccomp arg index out of range" 'linux.seccomp.syscalls\[1\].args\[0\].index'
edit 'c["linux"]["seccomp"]["architectures"] = ["SCMP_ARCH_Z80"]'
bad "unknown seccomp arch" 'architectures\[0\]: unknown architecture'
edit 'c["linux"]["intelRdt"] = {"closID": "x"}'
bad "a known field keel cannot honour is refused" 'linux.intelRdt: not supported'
edit 'c["process"]["apparmorProfile"] = "docker-default"'
bad "an LSM label is never silently dropped" 'process.apparmorProfile: not supported'
# No cgroup, cgroup v1 or v2: a cpu list no machine has fails, naming the field.
edit 'c["linux"]["resources"] = {"cpu": {"cpus": "4095"}}'
bad "an impossible limit fails clearly" 'linux.resources(\.cpu\.cpus: unable to write|: limits need a writable cgroup)'
edit 'c["root"]["path"] = "nope"'
bad "missing rootfs" 'root.path: .*/nope: No such file'
edit 'c["root"]["path"] = "rootfs/bin/probe"'
bad "rootfs is a file" 'root.path: .*Not a directory'
edit 'del c["linux"]["uidMappings"]'
bad "user namespace without uid mappings" 'uidMappings/gidMappings: required'
edit 'c["linux"]["uidMappings"].append({"containerID": 10, "hostID": 500000, "size": 5})'
bad "overlapping mappings" 'linux.uidMappings\[1\]: overlaps \[0\]'
edit 'c["linux"]["uidMappings"][0]["size"] = 0'
bad "zero-size mapping" 'uidMappings\[0\].size: missing or zero'
edit 'c["linux"]["uidMappings"][0]["hostID"] = 4294967290'
bad "mapping that wraps" 'uidMappings\[0\]: range wraps around'
edit 'c["linux"]["namespaces"].append({"type": "pid"})'
bad "namespace listed twice" 'linux.namespaces\[7\]: namespace listed twice'
edit 'c["linux"]["namespaces"][0]["type"] = "time"'
bad "unsupported namespace" 'namespaces\[0\].type: unknown or unsupported namespace "time"'
edit 'c["mounts"][0]["destination"] = "proc"'
bad "relative mount destination" 'mounts\[0\].destination: must be an absolute path'
edit 'c["mounts"].append({"destination": "/tmp/x", "type": "nosuchfs", "source": "x"})'
bad "mount failure names the mount (in the child)" 'mounts\[8\]: unable to mount nosuchfs on /tmp/x: No such device'
edit 'c["process"]["terminal"] = True'
bad "terminal without --console-socket" 'process.terminal: needs --console-socket'
edit 'c["linux"]["sysctl"] = {"net.ipv4.no_such_knob": "1"}'
bad "unknown sysctl fails in the child" 'linux.sysctl.net.ipv4.no_such_knob: unable to write'
edit 'c["ociVersion"] = "2.0.0"'
bad "unsupported ociVersion" 'ociVersion: unsupported version "2.0.0"'
check_match "invalid container ID" 'invalid container ID' "$(shim create --bundle "$B" ../x 2>&1)"
check_eq "no mount leaked to the host" "$before" "$(mounts_now)"
check_eq "no state left under --root" "" "$(ls "$SHIM_ROOT")"
t_done
