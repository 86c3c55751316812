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

# hyperfine runs each command's block in turn, so a load change between
# blocks (other jobs on the machine) skews the ratio; this second pass
# alternates runc-shim and crun run by run and takes the median of the
# per-pair ratios.
cat >"$tmp/pairs.py" <<'PY'
import json, statistics, subprocess, sys, time
runs, tmp, bindir = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cmds = {"runc-shim": [bindir + "/runc-shim", "--root", tmp + "/ps", "run", "p"],
        "crun": ["crun", "--cgroup-manager=disabled", "--root", tmp + "/pc", "run", "p"]}
times = {k: [] for k in cmds}
for i in range(runs + 5):  # 5 warm-up pairs
    for name in (("runc-shim", "crun") if i % 2 else ("crun", "runc-shim")):
        t0 = time.perf_counter()
        subprocess.run(cmds[name], check=True, stdout=subprocess.DEVNULL)
        if i >= 5:
            times[name].append(time.perf_counter() - t0)
json.dump(times, open(tmp + "/pairs.json", "w"))
PY

outer_mnt=/proc/$$/ns/mnt
cd "$B" || exit 1
unshare -m sh -c '
	mount --make-rprivate / && mount -t cgroup2 -o ro none /sys/fs/cgroup || exit 1
	hyperfine -N --warmup 10 --runs "$1" --export-json "$2/h.json" --style basic \
		-n runc-shim "$3/runc-shim --root $2/s run b" \
		-n crun "crun --cgroup-manager=disabled --root $2/c run b" \
		-n runc "nsenter --mount=$4 runc --root $2/r run --bundle $5 b" \
		-n bwrap "bwrap --unshare-all --uid 0 --gid 0 --hostname keel --ro-bind $5/rootfs / --proc /proc --dev /dev --tmpfs /tmp --cap-drop ALL --new-session --die-with-parent /bin/true" &&
	python3 "$2/pairs.py" "$1" "$2" "$3"
' bench "$RUNS" "$tmp" "$BIN" "$outer_mnt" "$B" >"$tmp/hyperfine.log" 2>&1 ||
	{ cat "$tmp/hyperfine.log"; exit 1; }

python3 - "$tmp/h.json" "$(stat -c %s "$BIN/runc-shim")" "$tmp/pairs.json" <<'PY'
import json, statistics, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
med = {k: v["median"] * 1000 for k, v in res.items()}
print("# runtime: run /bin/true, same bundle and sandbox, %d runs each" % len(res["crun"]["times"]))
print("%-10s %10s %10s %12s %12s" % ("runtime", "median ms", "mean ms", "vs crun", "vs runc-shim"))
for k in ("runc-shim", "crun", "runc", "bwrap"):
    print("%-10s %10.2f %10.2f %11.2fx %11.2fx" % (k, med[k], res[k]["mean"] * 1000,
          med[k] / med["crun"], med[k] / med["runc-shim"]))
ratio = med["runc-shim"] / med["crun"]
print("runc-shim/crun median ratio: %.2f (goal <= 0.50: %s)" % (ratio, "met" if ratio <= 0.5 else "NOT met"))
pairs = json.load(open(sys.argv[3]))
pr = statistics.median(a / b for a, b in zip(pairs["runc-shim"], pairs["crun"]))
print("alternating pairs (%d): runc-shim %.2f ms, crun %.2f ms (medians), median ratio %.2f (%s)"
      % (len(pairs["crun"]), statistics.median(pairs["runc-shim"]) * 1000,
         statistics.median(pairs["crun"]) * 1000, pr, "met" if pr <= 0.5 else "NOT met"))
with open("/proc/loadavg") as f:
    print("load average at the end: %s" % " ".join(f.read().split()[:3]))
print("runc-shim binary: %s bytes stripped (goal <= 262144)" % sys.argv[2])
PY
