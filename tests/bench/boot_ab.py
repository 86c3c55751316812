#!/usr/bin/env python3
"""keel's boot, image A against image B in the same run (docs/bench.md):
  tests/bench/boot_ab.py DIR_A DIR_B [N]
Each DIR holds vmlinuz and initramfs.cpio.gz (e.g. a copy of build/image
made before a change). Boots each once untimed (its data job formats its
disk), then N times alternately A, B, A, B... so the host's load hits both
alike, and prints per boot and as medians: init -> ready, kernel -> init,
each phase of keel's timeline and each bundle's create and run (keelctl boot
--json), with B - A. Timings are printed, never asserted."""
import os
import statistics
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path[:0] = [os.path.dirname(os.path.abspath(__file__))]
import boot  # noqa: E402  (tests/bench/boot.py: boot_keel, keelvm)


def rows(r):
    """Name -> ms of one boot: totals, phases, then each bundle's steps."""
    t = r["timeline"]
    out = {"init -> ready": r["ready"], "kernel -> init": r["kernel"]}
    for p in t["phases"][1:]:
        out["phase " + p["name"]] = p["end_ms"] - p["start_ms"]
    for u in t["units"]:
        end = u["ready_ms"] if u["kind"] == "service" else u["exited_ms"]
        for key, a, b in (("create", u["spawn_ms"], u["created_ms"]),
                          ("run", u["started_ms"], end)):
            if a is not None and b is not None:
                out[f"{u['name']} {key}"] = b - a
    return out


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    dirs = {"A": sys.argv[1], "B": sys.argv[2]}
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    tmp = tempfile.mkdtemp(prefix="keel-boot-ab.")
    disks = {k: boot.keelvm.ensure_disk(os.path.join(tmp, k + ".img"), 64 << 20) for k in dirs}
    runs = {k: [] for k in dirs}
    try:
        for k in dirs:   # first boot formats the data disk: not timed
            boot.boot_keel(disks[k], dirs[k])
        for i in range(1, n + 1):
            for k in dirs:
                try:
                    r = rows(boot.boot_keel(disks[k], dirs[k]))
                except (boot.keelvm.Timeout, ValueError, KeyError) as e:
                    print(f"boot {i} {k}: failed: {e}", flush=True)
                    continue
                runs[k].append(r)
                print(f"boot {i} {k}: init->ready {r['init -> ready']} ms, kernel->init "
                      f"{r['kernel -> init']} ms", flush=True)
    finally:
        for d in disks.values():
            os.unlink(d)
        os.rmdir(tmp)
    print(f"\n# medians of {len(runs['A'])} (A) and {len(runs['B'])} (B) boots, alternating")
    print(f"# A = {dirs['A']}\n# B = {dirs['B']}")
    print(f"{'ms':<28} {'A':>7} {'B':>7} {'B-A':>7}")
    names = list(dict.fromkeys(name for k in dirs for r in runs[k] for name in r))
    for name in names:
        med = {k: [r[name] for r in runs[k] if name in r] for k in dirs}
        if not med["A"] or not med["B"]:
            continue
        a, b = statistics.median(med["A"]), statistics.median(med["B"])
        print(f"{name:<28} {a:>7.0f} {b:>7.0f} {b - a:>+7.0f}")
    return 0 if runs["A"] and runs["B"] else 1


if __name__ == "__main__":
    sys.exit(main())
