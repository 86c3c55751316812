# Helpers for the supervisor's namespace tests (sourced after ../lib.sh).
# The real build/bin/init runs as PID 1 of a new PID + mount namespace with
# a tmpfs on /run and a spec dir of busybox-static bundles on a tmpfs; keelctl
# reaches it through nsenter. Runtime: build/bin/runc-shim once it can run a
# bundle, else Debian's runc (same command line), said in a diag line.

BIN=${KEEL_SUP_BIN:-$BIN} # e.g. a folder with an ASan build of init
BUSYBOX=$(command -v busybox)
if [ "$(id -u)" != 0 ] || [ -z "$BUSYBOX" ] || ! command -v unshare nsenter python3 >/dev/null; then
	skip "supervisor namespace tests" "need root, busybox, unshare, nsenter and python3"
	exit 0
fi
SUP_T=$(mktemp -d /tmp/keel-sup.XXXXXX)
mount -t tmpfs -o size=64m keel-sup "$SUP_T" || exit 1
SPEC=$SUP_T/spec
mkdir -p "$SPEC/onboot" "$SPEC/services" "$SPEC/onshutdown"
cp "$BUSYBOX" "$SUP_T/busybox"
SUP_INIT_PID=
# runc on this v1 host makes cgroups per container: one unique parent for
# this test, removed at the end.
SUP_CG=keel-sup-$(basename "$SUP_T" | cut -d. -f2)
SUP_OUT=$SUP_T/console

sup_cleanup() {
	[ -n "$SUP_INIT_PID" ] && kill -KILL "$SUP_INIT_PID" 2>/dev/null
	[ -n "$SUP_UNSHARE_PID" ] && wait "$SUP_UNSHARE_PID" 2>/dev/null
	for d in /sys/fs/cgroup/*/"$SUP_CG" /sys/fs/cgroup/unified/"$SUP_CG"; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	umount "$SUP_T" 2>/dev/null
	rmdir "$SUP_T"
}
trap sup_cleanup EXIT

# build/bin/runc-shim when it can write a spec (the bundles' config.json is
# its "spec --rootless", the image's default sandbox); KEEL_SUP_RUNTIME=runc
# runs the same tests on Debian's runc with a minimal config.
SUP_BASE=
if [ "${KEEL_SUP_RUNTIME:-runc-shim}" = runc-shim ] &&
	(cd "$SUP_T" && "$BIN/runc-shim" spec --rootless) >/dev/null 2>&1; then
	RUNTIME=$BIN/runc-shim
	SUP_BASE=$SUP_T/config.json
else
	RUNTIME=$(command -v runc)
	diag "runtime: $RUNTIME (KEEL_SUP_RUNTIME=${KEEL_SUP_RUNTIME:-}; runc-shim spec failed?)"
fi

# A service body that idles and exits 0 on SIGTERM (sh as a pid namespace's
# init ignores TERM unless it traps it).
IDLE='trap "exit 0" TERM; sleep 100000 & wait'

# bundle KIND NAME SCRIPT [SERVICE.CONF-TEXT]: a bundle running SCRIPT with
# busybox sh as the container's init; fd 3 is whatever --preserve-fds gave.
bundle() {
	b=$SPEC/$1/$2
	mkdir -p "$b/rootfs/bin" "$b/rootfs/proc" "$b/rootfs/tmp"
	ln "$SUP_T/busybox" "$b/rootfs/bin/busybox"
	for a in sh sleep echo cat true false kill setsid; do ln -s busybox "$b/rootfs/bin/$a"; done
	printf '%s\n' "$3" >"$b/rootfs/run.sh"
	mkdir -p "$b/rootfs/dev" "$b/rootfs/sys"
	if [ -n "$SUP_BASE" ]; then
		python3 - "$SUP_BASE" "$b/config.json" "$2" "$SUP_CG" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["/bin/sh", "/run.sh"]
c["process"]["env"] = ["PATH=/bin"]
c["hostname"] = sys.argv[3]
c["linux"]["cgroupsPath"] = "/%s/%s" % (sys.argv[4], sys.argv[3])
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
	else
		cat >"$b/config.json" <<JSON
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false, "user": {"uid": 0, "gid": 0}, "cwd": "/",
    "args": ["/bin/sh", "/run.sh"], "env": ["PATH=/bin"], "noNewPrivileges": true
  },
  "root": {"path": "rootfs", "readonly": true},
  "hostname": "$2",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}
  ],
  "linux": {"cgroupsPath": "/$SUP_CG/$2", "namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}]}
}
JSON
	fi
	[ -n "${4:-}" ] && printf '%s\n' "$4" >"$b/service.conf"
	return 0
}

# plain_and_capped HOSTID [TMPFS]: services "plain" (own user namespace
# mapping root to host HOSTID..+65535, no caps) and "capped" (the DHCP
# client's shape: no user namespace, uid 4242 holding CAP_NET_BIND_SERVICE
# as an ambient capability), both idling; TMPFS=1 adds a 1 MiB /tmp tmpfs.
plain_and_capped() {
	bundle services plain "$IDLE"
	bundle services capped "$IDLE"
	python3 - "$SPEC/services" "$1" "${2:-}" <<'PY'
import json, sys
d, host, tmpfs = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for name in ("plain", "capped"):
    p = f"{d}/{name}/config.json"
    c = json.load(open(p))
    if tmpfs:
        c["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
                            "options": ["nosuid", "nodev", "size=1m"]})
    if name == "plain":
        m = [{"containerID": 0, "hostID": host, "size": 65536}]
        c["linux"]["uidMappings"], c["linux"]["gidMappings"] = m, m
    else:
        c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "user"]
        c["linux"].pop("uidMappings"); c["linux"].pop("gidMappings")
        c["process"]["user"] = {"uid": 4242, "gid": 4243}
        caps = ["CAP_NET_BIND_SERVICE"]
        c["process"]["capabilities"] = {k: caps for k in
                                        ("bounding", "effective", "permitted", "inheritable", "ambient")}
    json.dump(c, open(p, "w"), indent=1)
PY
}

# boot [keel.* ...]: starts init as PID 1 of new namespaces in the background.
boot() {
	unshare --mount --pid --fork --mount-proc sh -c \
		'mount -t tmpfs -o mode=755 run /run && exec "$0" "$@"' \
		"$BIN/init" keel.specdir="$SPEC" keel.runtime="$RUNTIME" keel.echo=1 "$@" \
		>"$SUP_OUT" 2>&1 &
	SUP_UNSHARE_PID=$!
	for _ in $(seq 50); do
		SUP_INIT_PID=$(cat /proc/$SUP_UNSHARE_PID/task/$SUP_UNSHARE_PID/children 2>/dev/null | tr -d ' ')
		[ -n "$SUP_INIT_PID" ] && [ "$(readlink /proc/$SUP_INIT_PID/exe)" = "$(readlink -f "$BIN/init")" ] && return 0
		sleep 0.1
	done
	return 1
}

# ctl ARGS...: keelctl inside init's mount namespace.
ctl() {
	nsenter -t "$SUP_INIT_PID" -m "$BIN/keelctl" "$@"
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s; 0 when it succeeded in time.
wait_for() {
	n=$(($1 * 10)); shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1; n=$((n - 1))
	done
	return 1
}

# state NAME: the service's state from keelctl status --json.
state() {
	ctl status --json "$1" | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p'
}
is_state() { [ "$(state "$1")" = "$2" ]; }
field() { ctl status --json "$1" | sed -n "s/.*\"$2\":\\([^,}]*\\).*/\\1/p" | tr -d '"'; }

# line_of TEXT: line number of the first console line holding TEXT (99999: none).
line_of() {
	n=$(grep -nF -- "$1" "$SUP_OUT" | head -1 | cut -d: -f1)
	echo "${n:-99999}"
}

# ascending N...: true when the numbers strictly increase.
ascending() {
	prev=$1; shift
	for n; do [ "$prev" -lt "$n" ] || return 1; prev=$n; done
}

# poweroff_wait SECONDS: keelctl poweroff, then wait for init to exit; prints
# the milliseconds it took in POWEROFF_MS.
poweroff_wait() {
	t0=$(date +%s%N)
	ctl poweroff >/dev/null || return 1
	wait_for "$1" sh -c "! kill -0 $SUP_UNSHARE_PID 2>/dev/null" || return 1
	POWEROFF_MS=$((($(date +%s%N) - t0) / 1000000))
}
ctl_quiet() { ctl "$@" >/dev/null; }
# test_between LOW N HIGH: LOW <= N < HIGH.
test_between() { [ "$1" -le "$2" ] && [ "$2" -lt "$3" ]; }

# logwrite_bundle LOGDIR [HOST_UID]: the image's log-writer service
# (services/logwrite: its script, service.conf and mounts) writing to LOGDIR.
# With HOST_UID its container root is that unprivileged host uid, the way
# the image runs it (control socket rights: root, or that uid for
# "logs -f --all" only).
logwrite_bundle() {
	lw=$KEEL_ROOT/services/logwrite
	bundle services logwrite '' "$(cat "$lw/service.conf")"
	b=$SPEC/services/logwrite
	cp -r "$lw/files/." "$b/rootfs/"
	# keelctl, the static build (under sup_asan.t $BIN/init is an ASan
	# glibc binary that cannot run in the container's rootfs).
	cp "$(readlink -f "$BIN/keelctl")" "$b/rootfs/bin/keelctl"
	for a in awk mv wc sync; do ln -s busybox "$b/rootfs/bin/$a"; done
	mkdir -p "$b/rootfs/var/log" "$1"
	[ -n "${2:-}" ] && chown "$2:$2" "$1"
	python3 - "$b/config.json" "$1" "${2:-}" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["/bin/sh", "/bin/logwrite"]
c["mounts"] += [
    {"destination": "/run/keel/control.sock", "type": "bind",
     "source": "/run/keel/control.sock", "options": ["bind"]},
    {"destination": "/var/log", "type": "bind", "source": sys.argv[2], "options": ["bind"]}]
if sys.argv[3]:
    m = [{"containerID": 0, "hostID": int(sys.argv[3]), "size": 65536}]
    c["linux"]["uidMappings"], c["linux"]["gidMappings"] = m, [dict(m[0])]
json.dump(c, open(sys.argv[1], "w"), indent=1)
PY
}

# unstamped FILE: a logwrite file without its "TIME " column.
unstamped() { cut -d' ' -f2- "$1"; }
