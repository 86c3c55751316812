#!/bin/sh
# Runtime benchmark: `run` of /bin/true in the same busybox bundle and the
# same sandbox (keel's default config: user+mount+pid+ipc+uts+net+cgroup
# namespaces, pivot_root, masked/readonly paths, no capabilities, seccomp)
# under runc-shim, crun, runc and bubblewrap, side by side in one hyperfine
# run; prints medians and ratios. Goal: runc-shim <= 0.5x crun.
#
# This host has cgroup v1 + a hybrid v2: crun refuses that, so the whole
# run happens in a private mount namespace with a read-only cgroup2 mount on
# /sys/fs/cgroup and crun --cgroup-manager=disabled; runc-shim then also runs
# without a cgroup (it cannot write there). runc needs the host's v1
# hierarchy, so it is entered back into our original mount namespace with
# nsenter (that adds about 1 ms to runc). bubblewrap gets the same
# namespaces and mounts but no seccomp filter (it only takes compiled BPF).
# Usage: tests/bench/runtime.sh [RUNS]   (default 100)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/build/bin
RUNS=${1:-100}
for t in hyperfine crun runc bwrap busybox python3; do
	command -v $t >/dev/null || { echo "bench runtime: $t not installed"; exit 1; }
done
[ -x "$BIN/runc-shim" ] || { echo "bench runtime: no $BIN/runc-shim (make)"; exit 1; }
tmp=$(mktemp -d /tmp/keel-bench.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

B=$tmp/bundle
mkdir -p "$B/rootfs/bin" "$B/rootfs/proc" "$B/rootfs/dev" "$B/rootfs/sys" "$B/rootfs/tmp"
cp "$(command -v busybox)" "$B/rootfs/bin/busybox"
ln -s busybox "$B/rootfs/bin/true"
"$BIN/runc-shim" spec --bundle "$B"
python3 - "$B/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["/bin/true"]
json.dump(c, open(sys.argv[1], "w"))
PY

outer_mnt=/proc/$$/ns/mnt
cd "$B" || exit 1
unshare -m sh -c '
	mount --make-rprivate / && mount -t cgroup2 -o ro none /sys/fs/cgroup || exit 1
	hyperfine -N --warmup 10 --runs "$1" --export-json "$2/h.json" --style basic \
		-n runc-shim "$3/runc-shim --root $2/s run b" \
		-n crun "crun --cgroup-manager=disabled --root $2/c run b" \
		-n runc "nsenter --mount=$4 runc --root $2/r run --bundle $5 b" \
		-n bwrap "bwrap --unshare-all --uid 0 --gid 0 --hostname keel --ro-bind $5/rootfs / --proc /proc --dev /dev --tmpfs /tmp --cap-drop ALL --new-session --die-with-parent /bin/true"
' bench "$RUNS" "$tmp" "$BIN" "$outer_mnt" "$B" >"$tmp/hyperfine.log" 2>&1 ||
	{ cat "$tmp/hyperfine.log"; exit 1; }

python3 - "$tmp/h.json" "$(stat -c %s "$BIN/runc-shim")" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
med = {k: v["median"] * 1000 for k, v in res.items()}
print("# runtime: run /bin/true, same bundle and sandbox, %d runs each" % len(res["crun"]["times"]))
print("%-10s %10s %10s %12s %12s" % ("runtime", "median ms", "mean ms", "vs crun", "vs runc-shim"))
for k in ("runc-shim", "crun", "runc", "bwrap"):
    print("%-10s %10.2f %10.2f %11.2fx %11.2fx" % (k, med[k], res[k]["mean"] * 1000,
          med[k] / med["crun"], med[k] / med["runc-shim"]))
ratio = med["runc-shim"] / med["crun"]
print("runc-shim/crun median ratio: %.2f (goal <= 0.50: %s)" % (ratio, "met" if ratio <= 0.5 else "NOT met"))
print("runc-shim binary: %s bytes stripped (goal <= 262144)" % sys.argv[2])
PY
