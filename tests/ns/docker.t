#!/bin/sh
# Docker with runc-shim as a runtime, against Debian's runc: a private
# dockerd (data-root, exec-root, pidfile and socket in a temp dir, the
# runtime added with --add-runtime keel=build/bin/runc-shim) runs the same
# `docker run` / `exec` / `stop` / `rm` with --runtime runc and with
# --runtime keel; output and exit status must match. Docker always sends a
# prestart hook (libnetwork-setkey), so every case goes through hooks.
# Host limits, with the flags that make runc work here too:
#   --ulimit nofile=1024:1024  the host's hard RLIMIT_NOFILE is below Docker's default
#   --network none, --iptables=false --bridge=none  no bridge/iptables on this host
#   --storage-driver=vfs        no overlay on overlay in the temp dir
# Cgroups: Docker writes cgroup v1 limits (the host is v1); runc-shim is
# cgroup v2 only and runs without limits here (pause/update are tested in
# QEMU). Every cgroup goes under --cgroup-parent=/keeltestPID, removed at end.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/client_lib.sh"
DOCKER=/usr/bin/docker # Debian's docker.io client, not whatever is first in PATH
DOCKERD=/usr/sbin/dockerd
client_require "$DOCKER" "$DOCKERD" containerd-shim-runc-v2
DPID=
trap 'client_stop "$DPID"; client_cleanup' EXIT
trap 'exit 1' INT TERM HUP

d() { timeout -s KILL 60 "$DOCKER" -H "unix://$CL/docker.sock" "$@"; }
"$DOCKERD" --data-root "$CL/data" --exec-root "$CL/exec" --pidfile "$CL/docker.pid" \
	-H "unix://$CL/docker.sock" --iptables=false --ip6tables=false --bridge=none \
	--storage-driver=vfs --cgroup-parent="/$CL_CG" --add-runtime "keel=$BIN/runc-shim" \
	>"$CL/dockerd.log" 2>&1 &
DPID=$!
for _ in $(seq 300); do d version >/dev/null 2>&1 && break; sleep 0.1; done
if ! d version >/dev/null 2>&1; then
	not_ok "private dockerd starts"
	tail -20 "$CL/dockerd.log" | sed 's/^/# /'
	t_done
fi
ok "private dockerd starts"
check_match "the keel runtime is registered" 'keel' "$(d info --format '{{json .Runtimes}}')"
client_image "$CL/bb.tar"
d import "$CL/bb.tar" keel.test/bb:1 >/dev/null
check_eq "busybox image imported" 0 "$?"

# run ARGS: docker run --rm with the runtime under test and the host's flags.
run() { d run --rm --runtime "$RT" --network none --ulimit nofile=1024:1024 "$@"; }
run_d() { d run -d --runtime "$RT" --network none --ulimit nofile=1024:1024 "$@"; }
IMG=keel.test/bb:1
client_common_cases

# keel_info NAME: what shows that runc-shim ran it (on fd 3).
keel_info() {
	# runc-shim's state.json has pid_start, runc's does not
	find "$CL/exec" -name state.json -exec grep -l pid_start {} + | wc -l | sed 's/^/state files: /'
	find "$CL/exec" -name config.json -path "*$(d inspect -f '{{.Id}}' "$1")*" \
		-exec grep -c '"prestart"' {} + | sed 's/^/prestart hooks: /'
}
cli() { d "$@"; }
client_detached
check_eq "runc-shim really ran the keel container" "state files: 1" "$(sed -n 1p "$CL/keel.info")"
check_eq "Docker sent runc-shim a prestart hook" "prestart hooks: 1" "$(sed -n 2p "$CL/keel.info")"
check_eq "no container left" "" "$(d ps -aq)"
client_stop "$DPID"
DPID=
check "dockerd stopped" test ! -e "$CL/docker.pid"
check_eq "no shim left" "" "$(ps -eo args= | grep containerd-shim | grep -F "$CL")"
left=$(client_cgroups_left | sort -r)
for c in $left; do rmdir "$c" 2>/dev/null; done
check_eq "cgroups under /$CL_CG: only empty parents, removed" "" "$(client_cgroups_left)"
t_done
