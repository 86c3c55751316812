# Helpers for runc-shim tests (sourced after tests/lib.sh by tests/ns/shim_*.t
# and tests/security/*.t). Every test gets its own world-readable temp dir
# (the container's root, an unprivileged host uid, must reach its rootfs),
# its own --root, and a trap that force-deletes what it created.
SHIM_T=$(mktemp -d /tmp/keel-shim.XXXXXX)
chmod 755 "$SHIM_T"
SHIM_ROOT=$SHIM_T/state
PROBE=$KEEL_ROOT/build/test/probe
shim() { "$BIN/runc-shim" --root "$SHIM_ROOT" "$@"; }

shim_cleanup() {
	for d in "$SHIM_ROOT"/*/; do
		[ -d "$d" ] && "$BIN/runc-shim" --root "$SHIM_ROOT" delete --force "$(basename "$d")" 2>/dev/null
	done
	rm -rf "$SHIM_T"
	# the parent of the default cgroups (busy while others run: then kept)
	rmdir /sys/fs/cgroup/unified/keel 2>/dev/null
	true
}
trap shim_cleanup EXIT

# shim_require: skips the whole file (with a reason) when it cannot run here.
shim_require() {
	reason=
	[ "$(id -u)" = 0 ] || reason="needs root"
	[ -x "$BIN/runc-shim" ] || reason="build/bin/runc-shim not built"
	[ -x "$PROBE" ] || reason="build/test/probe not built (make unit-bins)"
	[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || reason="busybox-static missing"
	if [ -n "$reason" ]; then
		skip "runc-shim tests" "$reason"
		exit 0
	fi
}

# make_bundle DIR: a busybox + probe rootfs and keel's default config
# with args ["probe","info"].
make_bundle() {
	mkdir -p "$1/rootfs/bin" "$1/rootfs/proc" "$1/rootfs/sys" "$1/rootfs/dev" "$1/rootfs/tmp" \
		"$1/rootfs/etc" "$1/rootfs/work"
	cp "$(command -v busybox)" "$1/rootfs/bin/busybox"
	for a in sh cat ls echo true false sleep id grep hostname; do
		ln -sf busybox "$1/rootfs/bin/$a"
	done
	cp "$PROBE" "$1/rootfs/bin/probe"
	"$BIN/runc-shim" spec --bundle "$1"
	cfg "$1" 'c["process"]["args"] = ["probe", "info"]'
}

# bundle_saved DIR: make_bundle DIR, its config kept for cfg_reset DIR.
bundle_saved() {
	make_bundle "$1"
	cp "$1/config.json" "$1.good.json"
}
cfg_reset() { cp "$1.good.json" "$1/config.json"; }

# cfg DIR PYTHON: edits DIR/config.json; the statement sees it as c.
cfg() {
	python3 - "$1/config.json" "$2" <<'PY'
import json, sys
p, stmt = sys.argv[1], sys.argv[2]
c = json.load(open(p))
exec(stmt)
json.dump(c, open(p, "w"), indent=1)
PY
}

# field KEY TEXT: the value of a probe "key=value" line.
field() { printf '%s\n' "$2" | sed -n "s/^$1=//p" | head -n1; }
# jget PYEXPR: prints json.load(stdin)PYEXPR, e.g. jget '["status"]'.
jget() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# mounts_now: how many host mounts involve our temp dir (other engineers'
# tests mount and unmount elsewhere on this machine meanwhile).
mounts_now() { grep -c "$SHIM_T" /proc/self/mountinfo; }

# wait_running ID: until `state` says running (at most ~5 s).
wait_running() {
	for _ in $(seq 50); do
		shim state "$1" 2>/dev/null | grep -q '"running"' && return 0
		sleep 0.1
	done
	return 1
}

# pty_receiver SOCK OUT NAME: in the background ($! is its pid), accepts one
# --console-socket connection, writes the pty name it got to NAME and what
# the pty said until EOF to OUT.
pty_receiver() {
	python3 - "$1" "$2" "$3" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
name, fds, _, _ = socket.recv_fds(c, 4096, 1)
open(sys.argv[3], "w").write(name.decode())
out = b""
while True:
    try:
        chunk = os.read(fds[0], 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
open(sys.argv[2], "wb").write(out)
PY
	for _ in $(seq 50); do [ -S "$1" ] && break; sleep 0.1; done
}
