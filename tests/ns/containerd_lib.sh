# Helpers for tests/ns/containerd.t: a private containerd (own root, state,
# sockets and config under one mktemp -d; never /run/containerd or
# /var/lib/containerd), a busybox rootfs, and a trap that removes every task,
# container, shim, mount and host cgroup the test made, then the temp dir.
CT=$(mktemp -d /tmp/keel-ctrd.XXXXXX)
chmod 755 "$CT" # the container's root must reach its rootfs
CT_SOCK=$CT/c.sock
CT_NS=keeltest
CT_PREFIX=kc$$ # container ids, hence runc's cgroup names, start with this
CT_PID=

# ct ARGS: ctr against our containerd, bounded so a hung task cannot hang the
# test (KILL: ctr forwards TERM/INT to the container instead of exiting).
ct() { timeout -s KILL 30 ctr --address "$CT_SOCK" -n "$CT_NS" "$@"; }

# ct_require: skips the whole file (with a reason) when it cannot run here.
ct_require() {
	reason=
	[ "$(id -u)" = 0 ] || reason="needs root"
	[ -x "$BIN/runc-shim" ] || reason="build/bin/runc-shim not built"
	for t in containerd ctr containerd-shim-runc-v2 runc busybox python3; do
		command -v $t >/dev/null || reason="$t not installed"
	done
	if [ -n "$reason" ]; then
		skip "containerd with runc-shim" "$reason"
		exit 0
	fi
}

# ct_rootfs DIR: a busybox-static rootfs (ctr --rootfs uses it as is).
ct_rootfs() {
	mkdir -p "$1/bin" "$1/proc" "$1/sys" "$1/dev" "$1/tmp" "$1/etc"
	cp "$(command -v busybox)" "$1/bin/busybox"
	for a in sh cat echo true sleep id ls tty test grep touch unshare pwd; do ln -sf busybox "$1/bin/$a"; done
}

# ct_wrapper NAME REAL: a runtime binary that logs each call (argv, then its
# exit status) to $CT/calls.NAME and runs REAL: what the shim really asks.
ct_wrapper() {
	cat >"$CT/$1" <<EOF
#!/bin/sh
echo "call \$*" >>"$CT/calls.$1"
"$2" "\$@"
rc=\$?
echo "exit \$rc \$*" >>"$CT/calls.$1"
exit \$rc
EOF
	chmod 755 "$CT/$1"
}

# ct_start: containerd with only the plugins ctr needs, up within ~10 s.
ct_start() {
	cat >"$CT/config.toml" <<EOF
version = 2
root = "$CT/root"
state = "$CT/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.internal.v1.opt",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$CT_SOCK"
[ttrpc]
  address = "$CT/c.ttrpc"
[debug]
  address = "$CT/debug.sock"
[metrics]
  address = ""
EOF
	containerd --config "$CT/config.toml" >"$CT/containerd.log" 2>&1 &
	CT_PID=$!
	for _ in $(seq 100); do
		ct version >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# ct_shims: pids of the containerd-shim-runc-v2 processes of our containerd.
ct_shims() {
	ps -eo pid=,args= | awk -v s="$CT_SOCK" '$2 ~ /containerd-shim-runc-v2$/ && index($0, s) { print $1 }'
}

# ct_cgroups: host cgroup dirs named after our containers (runc makes them).
ct_cgroups() { find /sys/fs/cgroup -mindepth 2 -maxdepth 6 -type d -name "$CT_PREFIX-*" 2>/dev/null; }

ct_cleanup() {
	if [ -n "$CT_PID" ]; then
		for t in $(ct task ls -q 2>/dev/null); do ct task kill -s KILL "$t" 2>/dev/null; done
		sleep 0.3
		for t in $(ct task ls -q 2>/dev/null); do ct task rm -f "$t" >/dev/null 2>&1; done
		for c in $(ct c ls -q 2>/dev/null); do ct c rm "$c" >/dev/null 2>&1; done
		kill "$CT_PID" 2>/dev/null
		wait "$CT_PID" 2>/dev/null
	fi
	for p in $(ct_shims); do kill -KILL "$p" 2>/dev/null; done
	awk -v c="$CT/" 'index($5, c) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m"; done
	ct_cgroups | sort -r | while read -r d; do rmdir "$d"; done
	rm -rf "$CT"
}
trap ct_cleanup EXIT
trap 'exit 1' INT TERM HUP # so that the EXIT trap runs on those too

# ct_image TAR: the busybox OCI image archive of the build (rootfs/mkoci.py)
# named keel.test/busybox:latest, so a test goes through image unpack and the
# snapshotter (bundle rootfs mounted by the shim) as real images do.
ct_image() {
	python3 "$KEEL_ROOT/rootfs/mkoci.py" --busybox "$(command -v busybox)" \
		--name keel.test/busybox:latest "$1"
}
