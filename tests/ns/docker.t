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
IMG=keel.test/bb:1
mkdir -p "$CL/vol"
echo from-host >"$CL/vol/f"

same "exit status" run $IMG sh -c 'exit 7'
same "stdout and stderr" run $IMG sh -c 'echo out; echo err >&2'
same "env, user, workdir" run -e FOO=bar -u 65534:65534 -w /tmp $IMG sh -c 'echo "$FOO"; id; pwd'
same "image user/group names (-u nobody)" run -u nobody $IMG id
same "--read-only root" run --read-only $IMG sh -c 'touch /x; echo $?'
same "--tmpfs on a read-only root" run --read-only --tmpfs /run:size=1m,mode=1777 $IMG \
	sh -c 'touch /run/x && echo ok; grep " /run " /proc/mounts'
same "read-only bind volume" run -v "$CL/vol:/data:ro" $IMG sh -c 'cat /data/f; touch /data/x; echo $?'
same "default capabilities" run $IMG grep Cap /proc/self/status
same "--cap-drop ALL" run --cap-drop ALL $IMG grep Cap /proc/self/status
same "--cap-drop ALL --cap-add NET_BIND_SERVICE" run --cap-drop ALL --cap-add NET_BIND_SERVICE $IMG \
	grep Cap /proc/self/status
same "no-new-privileges" run --security-opt no-new-privileges $IMG grep NoNewPrivs /proc/self/status
same "--hostname" run --hostname keelhost $IMG hostname
same "-t: a terminal" run -t $IMG sh -c 'tty >/dev/null && echo is-a-tty; exit 2'
same "Docker's default seccomp profile (unshare denied)" run $IMG \
	sh -c 'grep Seccomp: /proc/self/status; unshare -U true; echo $?'
same "seccomp=unconfined (the control: unshare works)" run --security-opt seccomp=unconfined $IMG \
	sh -c 'grep Seccomp: /proc/self/status; unshare -U true; echo $?'
same "masked and read-only paths" run $IMG sh -c 'cat /proc/kcore 2>&1 | wc -c; touch /proc/sys/x 2>&1'
same "/dev as Docker sets it up" run $IMG sh -c 'ls /dev | tr "\n" " "'
# /sys/fs/cgroup aside: runc mounts this host's v1 hierarchies, runc-shim
# (cgroup v2 only) a cgroup2 mount.
same "mounts seen inside (but /sys/fs/cgroup)" run $IMG \
	sh -c 'cut -d" " -f2,3 /proc/mounts | grep -v -e "^/etc/" -e "^/sys/fs/cgroup" | sort'

detached() {
	n=kd$$-$RT
	d run -d --runtime "$RT" --network none --ulimit nofile=1024:1024 --name "$n" $IMG \
		sh -c 'trap "exit 3" TERM; while :; do sleep 0.1; done' >/dev/null
	echo "run -d: $?"
	if [ "$RT" = keel ]; then # runc-shim's state.json has pid_start, runc's does not
		find "$CL/exec" -name state.json -exec grep -l pid_start {} + | wc -l | sed 's/^/state files: /' >&3
		find "$CL/exec" -name config.json -path "*$(d inspect -f '{{.Id}}' "$n")*" \
			-exec grep -c '"prestart"' {} + | sed 's/^/prestart hooks: /' >&3
	fi
	d inspect -f '{{.State.Status}}' "$n"
	d exec "$n" sh -c 'echo in; id -u; exit 4'
	echo "exec: $?"
	d exec -u 65534 -e X=1 -w /tmp "$n" sh -c 'echo "$X"; id -u; pwd'
	d exec -t "$n" sh -c 'tty >/dev/null && echo exec-tty'
	d top "$n" -o args | sed 1d | grep -c 'sleep'
	d stop -t 10 "$n" >/dev/null
	d inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$n"
	d rm "$n" >/dev/null
	echo "rm: $?"
}
same "detached: run -d, exec (user/env/cwd, -t), top, stop (TERM trap exit 3), rm" detached 3>"$CL/keel.info"
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
