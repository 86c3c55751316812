#!/usr/bin/env python3
"""make bench-boot (tests/bench/boot.sh): keel's image against the
LinuxKit-style image built from the same kernel, modules and bundles
(rootfs/linuxkit-style/), N boots each, alternately, under QEMU TCG.
Per boot: kernel -> init, init -> all services ready (keel: "keel: ready";
the comparison: its rc script once httpd's port listens), ready -> power-off
complete (host clock, from the power-off command to QEMU's exit) and PID 1's
RSS. Prints the medians, the ratios, where keel's time goes (median of each
phase of its boot timeline) and, last, "boot ratio keel/linuxkit-style: R"."""
import json
import os
import re
import statistics
import sys
import tempfile
import time

sys.dont_write_bytecode = True
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "rootfs")]
import keelvm  # noqa: E402

IMAGES = {"keel": os.path.join(ROOT, "build/image"),
          "linuxkit-style": os.path.join(ROOT, "build/linuxkit-style")}
LK_READY = re.compile(rb"linuxkit-style: ready at (\d+) ms, init at (\d+)\.(\d+) s")
LK_BROKEN = b"linuxkit-style: httpd not listening"
TIMEOUT = 240


def rss_kb(vm):
    # smaps_rollup walks the page tables; VmRSS (status) lags behind on a
    # process with few page faults (per-thread counters, synced lazily).
    rc, out = vm.run("grep ^Rss: /proc/1/smaps_rollup", 60)
    m = re.search(r"Rss:\s*(\d+)", out)
    return int(m.group(1)) if rc == 0 and m else None


def power_off(vm, cmd):
    t0 = time.monotonic()
    vm.send(cmd + "\n")
    fate = vm.wait_end(TIMEOUT)
    return round((time.monotonic() - t0) * 1000) if fate == "poweroff" else None


def boot_keel(disk, image=IMAGES["keel"]):
    # No system images: the comparison image has no containerd either (its
    # bundle is dropped there), so both boot the same services.
    with keelvm.VM(image, disk=disk, system="none") as vm:
        ready = int(vm.wait_ready(TIMEOUT).group(1))
        rc, text = vm.run("keelctl boot --json", 60)
        timeline = json.loads(text)
        init = timeline["phases"][0]["end_ms"]
        return {"kernel": init, "ready": ready - init, "rss": rss_kb(vm),
                "off": power_off(vm, "keelctl poweroff"), "timeline": timeline}


def boot_linuxkit(disk):
    with keelvm.VM(IMAGES["linuxkit-style"], disk=disk, shell=False) as vm:
        m = vm.wait_for(LK_READY, TIMEOUT)
        if LK_BROKEN in vm.console:
            raise ValueError("httpd never listened (see build/linuxkit-style/root/etc/rc)")
        init = int(m.group(2)) * 1000 + int(m.group(3).ljust(3, b"0")[:3])
        return {"kernel": init, "ready": int(m.group(1)) - init, "rss": rss_kb(vm),
                "off": power_off(vm, "poweroff")}


BOOT = {"keel": boot_keel, "linuxkit-style": boot_linuxkit}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v):
    return "-" if v is None else f"{v:.0f}"


def ratio(a, b):
    return "-" if a is None or not b else f"{a / b:.2f}"


def where_time_goes(timelines):
    """Median ms of each init phase and of each unit's spawn->ready/exit."""
    print("\n# where keel's init -> ready goes (median ms over its boots)")
    phases = {}
    for t in timelines:
        for p in t["phases"][1:]:
            phases.setdefault(p["name"], []).append(p["end_ms"] - p["start_ms"])
    for name, v in phases.items():
        print(f"  phase {name:<20} {fmt(median(v)):>8}")
    units = {}
    for t in timelines:
        for u in t["units"]:
            end = u["ready_ms"] if u["kind"] == "service" else u["exited_ms"]
            for key, a, b in (("create", u["spawn_ms"], u["created_ms"]),
                              ("start", u["created_ms"], u["started_ms"]),
                              ("run", u["started_ms"], end)):
                if a is not None and b is not None:
                    units.setdefault((u["name"], key), []).append(b - a)
    for (name, key), v in units.items():
        print(f"  {name:<20} {key:<8} {fmt(median(v)):>8}")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    tmp = tempfile.mkdtemp(prefix="keel-bench-boot.")
    disks = {k: keelvm.ensure_disk(os.path.join(tmp, k + ".img"), 64 << 20) for k in BOOT}
    runs = {k: [] for k in BOOT}
    try:
        for k in BOOT:   # first boot formats the data disk: not timed
            BOOT[k](disks[k])
        for i in range(1, n + 1):
            for k in BOOT:
                try:
                    r = BOOT[k](disks[k])
                except (keelvm.Timeout, ValueError, KeyError) as e:
                    print(f"boot {i} {k}: failed: {e}", flush=True)
                    continue
                runs[k].append(r)
                print(f"boot {i} {k:<15} kernel->init {r['kernel']:>6} ms  init->ready "
                      f"{r['ready']:>6} ms  ready->off {fmt(r['off']):>6} ms  "
                      f"PID 1 RSS {fmt(r['rss'])} kB", flush=True)
    finally:
        for d in disks.values():
            os.unlink(d)
        os.rmdir(tmp)
    med = {k: {f: median([r[f] for r in runs[k]]) for f in ("kernel", "ready", "off", "rss")}
           for k in BOOT}
    size = {k: os.path.getsize(os.path.join(IMAGES[k], "initramfs.cpio.gz")) for k in BOOT}
    rows = [("kernel -> init (ms)", "kernel"), ("init -> all services ready (ms)", "ready"),
            ("ready -> power-off complete (ms)", "off"), ("PID 1 RSS (kB)", "rss")]
    print(f"\n# medians of {n} boots each, alternating, QEMU TCG")
    print(f"{'':<34} {'keel':>10} {'linuxkit-style':>15} {'ratio':>7}")
    for label, f in rows:
        a, b = med["keel"][f], med["linuxkit-style"][f]
        print(f"{label:<34} {fmt(a):>10} {fmt(b):>15} {ratio(a, b):>7}")
    print(f"{'initramfs (bytes, gzip)':<34} {size['keel']:>10} {size['linuxkit-style']:>15} "
          f"{ratio(size['keel'], size['linuxkit-style']):>7}")
    where_time_goes([r["timeline"] for r in runs["keel"]])
    if not runs["keel"] or not runs["linuxkit-style"]:
        print("boot ratio keel/linuxkit-style: unknown (boots failed)")
        return 1
    print(f"boot ratio keel/linuxkit-style: "
          f"{ratio(med['keel']['ready'], med['linuxkit-style']['ready'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
