#!/bin/sh
# Podman with runc-shim as its runtime, against Debian's runc: the same
# `podman --runtime R run/exec/stop/rm` with R = /usr/sbin/runc and with
# build/bin/runc-shim, podman's whole state (--root, --runroot, --tmpdir)
# in a temp dir; output and exit status must match. Podman always sends
# the sysctl net.ipv4.ping_group_range (written before /proc/sys goes
# read-only) and its default seccomp profile.
# Host limits, with the flags that make runc work here too:
#   --ulimit nofile=1024:1024 --ulimit nproc=1024:1024  the host's hard limits
#       are below Podman's defaults
#   --pids-limit=0              no pids controller for Podman's default 2048
#   --cgroup-manager=cgroupfs   no systemd; --cgroup-parent=/keeltestPID,
#                               removed at the end
#   --network none, --storage-driver vfs  no CNI bridge, no overlay here
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/client_lib.sh"
client_require podman conmon
# podman has no daemon: containers left by an interrupted run are removed
# (each with the runtime it was created with) before the cleanup.
trap 'RT=runc p rm -af -t 0 >/dev/null 2>&1; client_cleanup' EXIT
trap 'exit 1' INT TERM HUP

rt_path() { if [ "$RT" = keel ]; then echo "$BIN/runc-shim"; else command -v runc; fi; }
p() {
	timeout -s KILL 60 podman --root "$CL/root" --runroot "$CL/run" --tmpdir "$CL/tmp" \
		--cgroup-manager=cgroupfs --storage-driver vfs --events-backend file \
		--runtime "$(rt_path)" "$@"
}
cli() { p "$@"; }
FLAGS="--network none --pids-limit=0 --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
run() { p run --rm --cgroup-parent="/$CL_CG" $FLAGS "$@"; }
run_d() { p run -d --cgroup-parent="/$CL_CG" $FLAGS "$@"; }

client_image "$CL/bb.tar"
RT=runc p import "$CL/bb.tar" keel.test/bb:1 >/dev/null 2>&1
check_eq "busybox image imported" 0 "$?"
IMG=keel.test/bb:1

client_common_cases
same "Podman's sysctl net.ipv4.ping_group_range is set" run $IMG cat /proc/sys/net/ipv4/ping_group_range

# keel_info NAME: what shows that runc-shim ran it (on fd 3).
# Podman gives the runtime no --root: runc-shim's default /run/runc-shim.
keel_info() {
	id=$(p inspect -f '{{.Id}}' "$1")
	grep -l pid_start "/run/runc-shim/$id/state.json" | wc -l | sed 's/^/state files: /'
}
client_detached
check_eq "runc-shim really ran the keel container" "state files: 1" "$(sed -n 1p "$CL/keel.info")"
check_eq "no container left" "" "$(RT=runc p ps -aq)"
check_eq "no conmon left" "" "$(ps -eo args= | grep '^[^ ]*conmon' | grep -F "$CL")"
left=$(client_cgroups_left | sort -r)
for c in $left; do rmdir "$c" 2>/dev/null; done
check_eq "cgroups under /$CL_CG: only empty parents, removed" "" "$(client_cgroups_left)"
t_done
